// Writing a lockfile: whole or not at all (an interrupted write leaves the previous one).
import { writeFileAtomic } from '../../../db/atomic-file.js';
import type { CmContext } from '../../context.js';
import type { Lockfile } from './lockfile.js';

export function writeLockfile(ctx: CmContext, path: string, lock: Lockfile): void {
  writeFileAtomic(path, `${JSON.stringify(lock, null, 2)}\n`);
  ctx.emit({
    type: 'note',
    text: `lockfile ${path} written${lock.planned ? ' (from the plan: versions found by running are left empty)' : ''}`,
  });
}
