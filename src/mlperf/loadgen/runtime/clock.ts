// LoadGen's clock: monotonic nanoseconds as BigInt, and waiting until a moment on it precisely
// enough for Server schedules (a timer to shortly before the deadline, then turns of the event loop).

export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** How long before a deadline the timer hands over to polling the clock. */
const SPIN_NS = 1_500_000n;

/** Resolves at `deadlineNs` (or at once when it has passed), without blocking the event loop long. */
export function sleepUntil(deadlineNs: bigint): Promise<void> {
  return new Promise((resolve) => {
    const step = (): void => {
      const left = deadlineNs - nowNs();
      if (left <= 0n) resolve();
      else if (left > SPIN_NS) setTimeout(step, Number((left - SPIN_NS) / 1_000_000n));
      else setImmediate(step);
    };
    step();
  });
}
