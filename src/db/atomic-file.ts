// Whole-file writes that never leave a half-written file: write a temp file beside the target,
// then rename it over the target (atomic on POSIX file systems).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpSuffix } from '../core/uid.js';

export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: { fsync?: boolean } = {},
): void {
  const tmp = `${path}.tmp-${tmpSuffix()}`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    if (options.fsync) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    // What failed is writing the file asked for (not opening its temp name): a message about it
    // (db/fs-error.ts) names that file and reads the failure as a write.
    const err = e as NodeJS.ErrnoException;
    if (err.path === tmp) {
      err.path = path;
      err.syscall = 'write';
    }
    throw e;
  }
}
