// File system failures a person can fix (no permission, a read-only file system, a full disk) as a
// CmError naming the file and its folder, with what to do. Every other error is left alone: it is
// either already a CmError or a bug, which the CLI reports as an internal error.
import { existsSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { CmError } from '../core/errors.js';

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** System calls that change the file system: EACCES on them means a folder is not writable. */
const WRITES = new Set([
  'mkdir',
  'mkdtemp',
  'rmdir',
  'rm',
  'unlink',
  'rename',
  'write',
  'copyfile',
  'cp',
  'symlink',
  'link',
  'chmod',
  'fchmod',
  'chown',
  'utime',
  'futime',
  'ftruncate',
]);

export interface FsErrorContext {
  /** What was being written, for the message: "the archive", "the cache entry". */
  what?: string;
  /** The file or folder being written, named instead of the one the failing call touched. */
  target?: string;
  /** Replaces the default hint (a flag that writes elsewhere ...). */
  hint?: string;
  /** The CM home: a failure inside it suggests CM_REPOS. */
  home?: string;
}

/** The reason of an fs error code in words ("permission denied"), or the code itself. */
export function fsReason(code: string): string {
  return REASONS[code] ?? code;
}

type SystemError = NodeJS.ErrnoException & { dest?: string };

/** `e` as a CmError ('write-failed', 'permission-denied') when it is a fixable fs failure with a path. */
export function fromFsError(e: unknown, c: FsErrorContext = {}): CmError | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, syscall } = e as SystemError;
  const path = (e as SystemError).dest ?? (e as SystemError).path;
  if (code === undefined || path === undefined || !(code in REASONS)) return undefined;
  const reason = REASONS[code]!;
  // An open() that was refused is a write when the file is not there (it was to be created).
  const isWrite =
    !['EACCES', 'EPERM'].includes(code) ||
    WRITES.has(syscall ?? '') ||
    (syscall === 'open' && !existsSync(path));
  const thing = [c.what, c.target ?? path].filter(Boolean).join(' ');
  if (!isWrite) {
    const verb = syscall === 'open' ? 'open' : 'read';
    return new CmError('permission-denied', `cannot ${verb} ${thing}: ${reason}`, {
      hint: c.hint ?? `check the permissions of ${path} (ls -ld ${path})`,
      cause: e,
      details: { path, errno: code },
    });
  }
  const folder = existingFolderOf(path, syscall);
  const where =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `${reason} in ${folder}`
      : code === 'EROFS'
        ? `${folder} is on a ${reason}`
        : `${folder} is not writable (${reason})`;
  const inHome = c.home !== undefined && (path + sep).startsWith(c.home + sep);
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `free some space there (df -h ${folder}), then run the command again`
      : inHome
        ? `the CM home ${c.home} must be writable: fix its permissions, or set CM_REPOS to a writable folder`
        : `run it where you can write (cd to a writable folder), or make ${folder} writable (ls -ld ${folder})`;
  return new CmError('write-failed', `cannot write ${thing}: ${where}`, {
    hint: c.hint ?? hint,
    cause: e,
    details: { path, folder, errno: code },
  });
}

/** The folder that refused the write: the nearest one that exists (mkdir -p fails higher up). */
function existingFolderOf(path: string, syscall: string | undefined): string {
  let dir = syscall === 'mkdir' || syscall === 'rmdir' ? path : dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Run `fn`; a fixable fs failure comes out as a CmError that says what was being written. */
export function withFsErrors<T>(c: FsErrorContext, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fromFsError(e, c) ?? e;
  }
}
