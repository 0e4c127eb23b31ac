// The objects a harness gives LoadGen (spec §5): the system under test and the query sample
// library; and what travels between them and LoadGen (samples issued, responses completed).

/** One sample LoadGen issues: a response id (unique, non-zero) and the QSL index to infer. */
export interface QuerySample {
  id: number;
  index: number;
}

/** A SUT's answer for one sample: the id it was issued with, and the output bytes. */
export interface QuerySampleResponse {
  id: number;
  data?: Uint8Array;
}

export interface SystemUnderTest {
  name(): string;
  /** Called on LoadGen's issuing context; may complete at once (inside the call) or later. */
  issueQuery(samples: readonly QuerySample[]): void;
  /** Called once right after the last issueQuery of a series (a hint to drain batches). */
  flushQueries(): void;
}

export interface QuerySampleLibrary {
  name(): string;
  totalSampleCount(): number;
  performanceSampleCount(): number;
  /** Called before a series; the timed part starts once it has resolved. */
  loadSamplesToRam(indices: readonly number[]): void | Promise<void>;
  unloadSamplesFromRam(indices: readonly number[]): void | Promise<void>;
}
