// The input of result computation: what one timed series of a LoadGen run recorded, the effective
// settings the results read, and the early-stopping outcome computed elsewhere (spec §1.2-§1.5, §3).

import type { Scenario, TestMode } from '../settings/test-settings.js';

export type { Scenario, TestMode };

/** The effective settings that results and validity read (spec §2.2). */
export interface ResultSettings {
  readonly scenario: Scenario;
  /** Server only; 0 elsewhere. */
  readonly targetLatencyNs: bigint;
  /** 0.90 for 90 %; the headline percentile and the Server constraint percentile. */
  readonly targetLatencyPercentile: number;
  readonly minDurationMs: bigint;
  readonly minQueryCount: number;
  readonly minSampleCount: number;
}

/** The early-stopping verdict (§3), computed by the early-stopping module and taken as given. */
export interface EarlyStoppingOutcome {
  readonly isMet: boolean;
  /** The summary text, one entry per line (` * Run successful.` ...); empty for Offline. */
  readonly lines: readonly string[];
  /** SS: the estimate at the target percentile (`early_stopping_latency_ss`); 0 when it failed. */
  readonly latencySsNs?: bigint;
  /** SS: the p99 estimate; MS: the estimate (`early_stopping_latency_ms`); 0 when absent. */
  readonly latencyMsNs?: bigint;
}

/** What a performance series recorded; times are ns relative to the series start. */
export interface RunRecord {
  /** One latency per completed sample, in any order. */
  readonly sampleLatenciesNs: readonly bigint[];
  /** MultiStream: one latency per issued query (last sample done − issue); empty elsewhere. */
  readonly queryLatenciesNs: readonly bigint[];
  readonly queriesIssued: number;
  /** The largest sample latency (Offline: time to the last completion). */
  readonly maxLatencyNs: bigint;
  /** Scheduled delta of the last issued query. */
  readonly finalQueryScheduledNs: bigint;
  /** Issue time of the last issued query. */
  readonly finalQueryIssuedNs: bigint;
  /** Time at which all samples of the last issued query had completed. */
  readonly finalQueryAllSamplesDoneNs: bigint;
}
