// LoadGen's clock: monotonic nanoseconds as BigInt, and waiting until a moment on it precisely
// enough for Server schedules (5,000 queries/s is one every 200 µs) while making little garbage:
// allocations bring collector pauses of about a millisecond into the issue delays, and on Node 20
// every read of a sub-millisecond clock allocates (performance.now() about 64 bytes,
// process.hrtime.bigint() about 24), so a tight polling loop made hundreds of MB a second. The wait:
//   - a timer to 2 ms before the deadline (setTimeout is late by a millisecond or so);
//   - then polling in slices of TURN_NS, one turn of the event loop between two slices so that
//     completions keep arriving;
//   - then, for the last BUSY_NS, polling without yielding, so that it ends on time. A completion
//     that arrives then is handled when the wait ends (at most BUSY_NS late).
// Polling reads the clock about once a microsecond, computing in between (calibrated once).
// Sleeping instead of polling (a futex, Atomics.wait) was tried: on a VM its wake-ups come
// milliseconds late now and then, which made the issue delays' p99 worse, not better.

export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Below this, setTimeout is not used. */
const TIMER_NS = 2_000_000n;
/** The last stretch, polled without yielding. */
const BUSY_NS = 200_000n;
/** Before it, the clock is polled this long between two turns of the event loop. */
const TURN_NS = 50_000n;

let sink = 0;
/** Iterations of pause() that take about a microsecond (0: not calibrated yet). */
let perMicrosecond = 0;

/** Computes for `n` iterations: no allocation, no clock. */
function pause(n: number): void {
  let x = sink;
  for (let i = 0; i < n; i++) x = (x + Math.imul(i, 0x9e3779b1)) | 0;
  sink = x;
}

/** How many iterations of pause() take a microsecond here (a few ms, once; optimized by then). */
function calibrate(): number {
  let n = 1024;
  for (;;) {
    const t = nowNs();
    pause(n);
    const ns = Number(nowNs() - t);
    if (ns > 2_000_000) return Math.max(1, Math.round((n * 1000) / ns));
    n *= 2;
  }
}

/** Calibrates the polling now (a few ms), so that the first timed wait does not. */
export function prepareClock(): void {
  perMicrosecond ||= calibrate();
}

/** Polls the clock until `endNs`, reading it about once a microsecond. */
function spinUntil(endNs: bigint): void {
  prepareClock();
  while (nowNs() < endNs) pause(perMicrosecond);
}

/** Resolves at `deadlineNs` (or at once when it has passed). */
export function sleepUntil(deadlineNs: bigint): Promise<void> {
  return new Promise((resolve) => {
    const step = (): void => {
      const now = nowNs();
      const left = deadlineNs - now;
      if (left <= 0n) resolve();
      else if (left > TIMER_NS) setTimeout(step, Number((left - TIMER_NS) / 1_000_000n));
      else if (left > BUSY_NS) {
        const sliceEnd = now + TURN_NS;
        spinUntil(sliceEnd < deadlineNs - BUSY_NS ? sliceEnd : deadlineNs - BUSY_NS);
        setImmediate(step);
      } else {
        spinUntil(deadlineNs);
        resolve();
      }
    };
    step();
  });
}
