// LoadGen's completion entry point (spec §5): querySamplesComplete is a function of the library,
// as in the official API; it reaches the test that runs now. The timestamp is taken on entry.
import type { QuerySampleResponse } from './api.js';
import { nowNs } from './clock.js';
import type { Completions } from './completions.js';

let active: Completions | undefined;

/** Run `fn` with `c` as the test that completions go to. */
export async function withActiveTest<T>(c: Completions, fn: () => Promise<T>): Promise<T> {
  if (active) throw new Error('a LoadGen test is already running in this process');
  active = c;
  try {
    return await fn();
  } finally {
    active = undefined;
  }
}

/** Called by the SUT, from any callback, with any subset of the outstanding samples. */
export function querySamplesComplete(responses: readonly QuerySampleResponse[]): void {
  const at = nowNs();
  if (!active) throw new Error('querySamplesComplete called while no LoadGen test runs');
  active.complete(at, responses);
}
