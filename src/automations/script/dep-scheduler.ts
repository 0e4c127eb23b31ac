// Running the deps of one list side by side (--parallel): launched in declaration order, at most
// `limit` at once, a dep beside unfinished earlier ones only where the caller says it is
// independent of them; results handed over in declaration order. Knows nothing of scripts.
import { CmError, isCmError } from '../../core/errors.js';

export interface SiblingOptions<T> {
  /** At most this many items run at once (1: one after the other). */
  limit: number;
  /**
   * Whether item `i` may start now although the earlier items `unmerged` (running, or finished
   * but waiting for an even earlier one) are not merged yet. Not asked when all earlier items are
   * merged: then `i` starts as it would one after the other.
   */
  canStartEarly(i: number, unmerged: readonly number[]): boolean;
  run(i: number): Promise<T>;
  /**
   * Item `i`'s result, in declaration order, once it and every earlier item have finished, and
   * before any later launch is decided (so that a launch sees the merged results). A throw
   * counts as the failure of item `i`.
   */
  merge?(i: number, value: T): void;
  /** Told each time the set of running items changes (for a status line). */
  onRunning?(running: readonly number[]): void;
  /** A name for item `i` in the error listing other failures (default "dep N"). */
  describe?(i: number): string;
}

export interface Outcome<T> {
  value: T;
  /** Whether it started before all earlier items were merged. */
  startedEarly: boolean;
  ms: number;
}

interface Failure {
  index: number;
  error: unknown;
}

/**
 * Run items 0..count-1 as `o` says; resolves with their outcomes in declaration order. A failure
 * stops new launches, lets the running items finish, and rejects with the first failure in time
 * (the others named in its hint and details). Results from the first failed item on (in
 * declaration order) are not merged.
 */
export function runSiblings<T>(count: number, o: SiblingOptions<T>): Promise<Outcome<T>[]> {
  const limit = Math.max(1, Math.floor(o.limit));
  const outcomes: Array<Outcome<T> | undefined> = new Array(count);
  const running = new Set<number>();
  const failures: Failure[] = [];
  let next = 0;
  let merged = 0;
  return new Promise((resolve, reject) => {
    const fail = (index: number, error: unknown): void => {
      failures.push({ index, error });
    };
    const launch = (i: number, early: boolean): void => {
      running.add(i);
      o.onRunning?.([...running].sort((a, b) => a - b));
      const t0 = Date.now();
      // Started at once (not on a later tick): it sees the env exactly as the decision did.
      new Promise<T>((res) => res(o.run(i)))
        .then(
          (value) => {
            outcomes[i] = { value, startedEarly: early, ms: Date.now() - t0 };
          },
          (e: unknown) => fail(i, e),
        )
        .finally(() => {
          running.delete(i);
          o.onRunning?.([...running].sort((a, b) => a - b));
          pump();
        });
    };
    const pump = (): void => {
      // Earlier items that finish after a later one failed are still merged (as one after the
      // other, they would have been); merging stops at the first failed item.
      while (merged < count && outcomes[merged] !== undefined) {
        try {
          o.merge?.(merged, outcomes[merged]!.value);
        } catch (e) {
          outcomes[merged] = undefined;
          fail(merged, e);
          break;
        }
        merged++;
      }
      if (failures.length > 0) {
        if (running.size === 0) reject(firstFailure(failures, o.describe));
        return;
      }
      while (next < count && running.size < limit) {
        const unmerged = range(merged, next);
        let early = false;
        if (unmerged.length > 0) {
          try {
            if (!o.canStartEarly(next, unmerged)) break;
          } catch (e) {
            fail(next, e);
            if (running.size === 0) reject(firstFailure(failures, o.describe));
            return;
          }
          early = true;
        }
        launch(next++, early);
      }
      if (merged === count) resolve(outcomes as Outcome<T>[]);
    };
    pump();
  });
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/** The first failure; where others followed while running items finished, they are named. */
function firstFailure(failures: readonly Failure[], describe?: (i: number) => string): unknown {
  const [first, ...others] = failures;
  const e = first!.error;
  if (others.length === 0 || !isCmError(e)) return e;
  const name = describe ?? ((i: number) => `dep ${i}`);
  const lines = others.map(
    (f) => `${name(f.index)}: ${f.error instanceof Error ? f.error.message : String(f.error)}`,
  );
  return new CmError(e.code, e.message, {
    hint: `${e.hint ? `${e.hint}\n` : ''}also failed while running deps finished:\n  ${lines.join('\n  ')}`,
    details: {
      ...e.details,
      also_failed: others.map((f) => ({
        dep: name(f.index),
        error: f.error instanceof Error ? f.error.message : String(f.error),
        ...(isCmError(f.error) ? { code: f.error.code } : {}),
      })),
    },
    returnCode: e.returnCode,
    cause: e.cause,
  });
}
