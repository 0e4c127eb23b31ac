// The exit status a shell reports for a child process: its code, or 128 + the number of the signal
// that ended it (os.constants.signals: every signal of the platform, SIGSEGV's 11 as SIGTERM's 15).
import { constants } from 'node:os';

/** `code` when the process exited, 128 + the signal's number when a signal ended it, else 1. */
export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return signal ? 128 + (constants.signals[signal] ?? 0) : 1;
}
