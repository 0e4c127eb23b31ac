// LoadGen's clock: monotonic nanoseconds as BigInt, and waiting until a moment on it precisely
// enough for Server schedules: a timer to shortly before the deadline, then turns of the event loop
// (completions keep arriving), then — for the last stretch only — polling the clock without
// yielding, so that the wait allocates nothing (garbage would bring collector pauses into the
// issue delays) and ends on time. A completion that arrives during that last stretch is
// timestamped when it ends (at most BUSY_NS late).
import { performance } from 'node:perf_hooks';

export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Below this, setTimeout (1 ms granularity, late by up to a millisecond or so) is not used. */
const TIMER_NS = 2_000_000n;
/** The last stretch, polled without yielding. */
const BUSY_NS = 200_000n;

/** Resolves at `deadlineNs` (or at once when it has passed). */
export function sleepUntil(deadlineNs: bigint): Promise<void> {
  return new Promise((resolve) => {
    const step = (): void => {
      const left = deadlineNs - nowNs();
      if (left <= 0n) resolve();
      else if (left > TIMER_NS) setTimeout(step, Number((left - TIMER_NS) / 1_000_000n));
      else if (left > BUSY_NS) setImmediate(step);
      else {
        const end = performance.now() + Number(left) / 1e6;
        while (performance.now() < end);
        resolve();
      }
    };
    step();
  });
}
