// One cm run at a time in a working folder. Scripts write tmp-run.sh, tmp-state.json,
// tmp-run-env.out ... into their working folder under fixed names (published hooks read them by
// name), so two runs there would read each other's results. A run holds the folder from its first
// hook to its clean-up; its deps in the same folder share the hold (counted), another run waits.
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { fsReason } from '../../db/fs-error.js';
import { waitForLock, type Lock } from '../../db/lock.js';

/** The lock file a run keeps in its working folder while it uses it. */
export const WORK_FOLDER_LOCK = '.cm-run.lock';

/** Folders held by one top-level run (shared with its deps), with how many of its runs hold each. */
export type HeldFolders = Map<string, { count: number; lock: Lock | undefined }>;

export interface WorkFolderWait {
  /** Called once when the folder is busy: the pid of the run holding it. */
  onWait(pid: number): void;
  timeoutMs: number;
  /** A folder where nothing can be written is refused (the reference's "is not writable"). */
  mustWrite: boolean;
  /** The folder cm was started in: refused in the reference's words (R1). */
  cwd: string;
}

/**
 * Hold `folder` for this run tree; resolves with the function that lets it go. Taking the lock is
 * the test that the folder is writable: a read-only one is refused when `mustWrite`, else used
 * unlocked (no run can write its tmp files there either).
 */
export async function holdWorkFolder(
  folder: string,
  held: HeldFolders,
  wait: WorkFolderWait,
): Promise<() => void> {
  const mine = held.get(folder);
  if (mine) {
    mine.count++;
    return releaser(folder, held);
  }
  const lockPath = join(folder, WORK_FOLDER_LOCK);
  let lock: Lock | undefined;
  try {
    lock = await waitForLock(lockPath, {
      timeoutMs: wait.timeoutMs,
      onWait: wait.onWait,
      onTimeout: (pid) =>
        new CmError('locked', `timed out waiting for another cm run in ${folder}`, {
          hint: `pid ${pid} holds ${lockPath}; run in another folder, or remove the file if that process is not cm`,
        }),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM' && code !== 'ENOENT') throw e;
    if (wait.mustWrite && code !== 'ENOENT')
      throw new CmError(
        'write-failed',
        folder === wait.cwd
          ? `Current directory "${folder}" is not writable - please change it`
          : `working folder ${folder} is not writable`,
        {
          hint: `${fsReason(code)}: the script writes its temporary files (tmp-run.sh ...) into its working folder; cd to a writable one (a run answered from the cache needs none)`,
          details: { folder, errno: code },
        },
      );
  }
  held.set(folder, { count: 1, lock });
  return releaser(folder, held);
}

function releaser(folder: string, held: HeldFolders): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const h = held.get(folder);
    if (!h || --h.count > 0) return;
    held.delete(folder);
    h.lock?.release();
  };
}
