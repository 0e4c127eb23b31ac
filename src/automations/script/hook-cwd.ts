// Turns for hook calls that must not overlap: JS hooks, which run in the process's one working
// folder (inFolder), and the calls of one Python worker, which handles one call at a time. Not
// the hooks themselves nor the run: only the order in which overlapping calls go.
import { AsyncLocalStorage } from 'node:async_hooks';

/** Calls that wait for each other, first come first served. */
class Queue {
  #tail: Promise<void> = Promise.resolve();

  async enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.#tail;
    let done!: () => void;
    this.#tail = new Promise<void>((resolve) => (done = resolve));
    await before;
    try {
      return await fn();
    } finally {
      done();
    }
  }
}

/**
 * One call at a time. Re-entrant: what a call starts itself (a hook whose run_native_script runs
 * the script's detect_version hook, a cmind.access that runs another script's hooks) runs inside
 * its turn, one at a time among themselves, instead of waiting for the turn to end (a deadlock).
 * "Itself" is the async context: a callback that arrives by an event (a worker's message) must be
 * bound to the turn with AsyncResource.bind where the call is made.
 */
export class Turns {
  readonly #inside = new AsyncLocalStorage<Queue>();
  readonly #queue = new Queue();

  take<T>(fn: () => Promise<T>): Promise<T> {
    const queue = this.#inside.getStore() ?? this.#queue;
    return queue.enqueue(() => this.#inside.run(new Queue(), fn));
  }
}

/** Process-wide by nature: a process has one working folder. */
const folderTurns = new Turns();

/**
 * Run `fn` (a JS hook) with `dir` as the process's working folder, and the folder it had back
 * afterwards. Overlapping calls (hooks of deps run at once) take turns, so each hook sees its own
 * folder across its awaits. A folder that cannot be entered leaves the current one.
 */
export function inFolder<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  return folderTurns.take(async () => {
    const previous = process.cwd();
    try {
      process.chdir(dir);
    } catch {
      return fn(); // keep the current folder, as hooks always did
    }
    try {
      return await fn();
    } finally {
      process.chdir(previous);
    }
  });
}
