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
    throw e;
  }
}
