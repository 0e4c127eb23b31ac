// Early stopping (§3): the minimum-passing-queries function h(t), the SingleStream/MultiStream
// percentile estimates and the Server over-latency rule, with LoadGen's exact result texts.

import { CmError } from '../../core/errors.js';

/** LoadGen's fixed confidence c; the tolerance d is 0. */
export const EARLY_STOPPING_CONFIDENCE = 0.99;
/** The percentile of the extra SingleStream estimate that infers MultiStream. */
const MULTI_STREAM_PERCENTILE = 0.99;

/**
 * odds(h, t) = P[X <= t] for X ~ Binomial(h + t, 1 - p), i.e. the regularised incomplete beta
 * I_p(h, t + 1). Summed in log space, so it stays accurate where p^(h+t) underflows.
 */
export function earlyStoppingOdds(h: number, t: number, p: number): number {
  checkPercentile(p);
  const n = h + t;
  const lnP = Math.log(p);
  const lnQ = Math.log(1 - p);
  const logTerms: number[] = [];
  let logTerm = n * lnP; // k = 0
  for (let k = 0; k <= Math.min(t, n); k++) {
    logTerms.push(logTerm);
    logTerm += Math.log(n - k) - Math.log(k + 1) + lnQ - lnP;
  }
  let top = -Infinity;
  for (const value of logTerms) top = Math.max(top, value);
  let sum = 0;
  for (const value of logTerms) sum += Math.exp(value - top);
  return Math.min(1, Math.exp(top + Math.log(sum)));
}

/** h(t): the smallest h with odds(h, t) < 1 - c (at most t of h + t queries over the threshold). */
export function minPassingQueries(t: number, p: number): number {
  checkPercentile(p);
  const passes = (h: number): boolean => earlyStoppingOdds(h, t, p) < 1 - EARLY_STOPPING_CONFIDENCE;
  let low = 0; // odds(0, t) = 1: never passes
  let high = Math.ceil(((t + 1) * p) / (1 - p)) + 64;
  while (!passes(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (passes(middle)) high = middle;
    else low = middle;
  }
  return high;
}

/** The estimate index of §3.2: the largest t with h(t) + t <= n, or the queries still missing. */
export type EstimateIndex = { isMet: true; t: number } | { isMet: false; minQueries: number };

/** For n issued queries at percentile p: `t` means the estimate is the t-th largest latency. */
export function estimateIndex(queriesIssued: number, p: number): EstimateIndex {
  const minQueries = minPassingQueries(1, p) + 1;
  if (queriesIssued < minQueries) return { isMet: false, minQueries };
  const fits = (t: number): boolean => minPassingQueries(t, p) + t <= queriesIssued;
  let low = 1;
  // Beyond n(1-p) + 1 over-threshold queries the mean of the binomial already exceeds t.
  let high = Math.min(queriesIssued, Math.floor(queriesIssued * (1 - p)) + 2);
  while (high < queriesIssued && fits(high)) high = Math.min(queriesIssued, high * 2);
  if (fits(high)) return { isMet: true, t: high };
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return { isMet: true, t: low };
}

/** A latency early-stopping outcome, with the text LoadGen prints under "Early Stopping Result:". */
export interface LatencyEarlyStopping {
  isMet: boolean;
  recommendation: string;
  /** SingleStream: early_stopping_latency_ss (the target-percentile estimate); 0n otherwise. */
  latencySsNs: bigint;
  /** MultiStream estimate, or SingleStream's 99th-percentile estimate: early_stopping_latency_ms; 0n if none. */
  latencyMsNs: bigint;
}

/** What the SingleStream and MultiStream rules read. */
export interface LatencyEarlyStoppingInput {
  queriesIssued: number;
  /** Ascending: per-sample latencies for SingleStream, per-query latencies for MultiStream. */
  sortedLatenciesNs: readonly bigint[];
  /** target_latency_percentile (e.g. 0.9 or 0.99). */
  percentile: number;
}

/** SingleStream: the target-percentile estimate plus the 99th-percentile one used to infer MultiStream. */
export function singleStreamEarlyStopping(input: LatencyEarlyStoppingInput): LatencyEarlyStopping {
  const main = percentileEstimate(input, input.percentile);
  if (main.kind === 'too-few')
    return { isMet: false, recommendation: main.text, latencySsNs: 0n, latencyMsNs: 0n };
  const p99 = percentileEstimate(input, MULTI_STREAM_PERCENTILE);
  if (p99.kind === 'too-few') {
    const text =
      `\n * Not enough queries processed for ${formatPercentile(MULTI_STREAM_PERCENTILE)}th percentile\n` +
      ` early stopping estimate (would need to process at\n least ${p99.minQueries} total queries).`;
    return {
      isMet: true,
      recommendation: main.text + text,
      latencySsNs: main.estimateNs,
      latencyMsNs: 0n,
    };
  }
  const text = `\n * Early stopping ${formatPercentile(MULTI_STREAM_PERCENTILE)}th percentile estimate: ${p99.estimateNs}`;
  return {
    isMet: true,
    recommendation: main.text + text,
    latencySsNs: main.estimateNs,
    latencyMsNs: p99.estimateNs,
  };
}

/** MultiStream: the estimate over query latencies. */
export function multiStreamEarlyStopping(input: LatencyEarlyStoppingInput): LatencyEarlyStopping {
  const main = percentileEstimate(input, input.percentile);
  if (main.kind === 'too-few')
    return { isMet: false, recommendation: main.text, latencySsNs: 0n, latencyMsNs: 0n };
  return { isMet: true, recommendation: main.text, latencySsNs: 0n, latencyMsNs: main.estimateNs };
}

type PercentileEstimate =
  | { kind: 'too-few'; text: string; minQueries: number }
  | { kind: 'estimate'; text: string; estimateNs: bigint };

function percentileEstimate(input: LatencyEarlyStoppingInput, p: number): PercentileEstimate {
  const n = input.queriesIssued;
  const index = estimateIndex(n, p);
  if (!index.isMet) {
    const text = ` * Only processed ${n} queries.\n * Need to process at least ${index.minQueries} queries for early stopping.`;
    return { kind: 'too-few', text, minQueries: index.minQueries };
  }
  const estimateNs = input.sortedLatenciesNs[n - index.t];
  if (estimateNs === undefined) {
    throw new Error(
      `early stopping: no latency at index ${n - index.t} of ${input.sortedLatenciesNs.length}`,
    );
  }
  const minQueries = minPassingQueries(1, p) + 1;
  const text =
    ` * Processed at least ${minQueries} queries (${n}).\n * Would discard ${index.t - 1} highest latency queries.\n` +
    ` * Early stopping ${formatPercentile(p)}th percentile estimate: ${estimateNs}`;
  return { kind: 'estimate', text, estimateNs };
}

/** The Server rule's outcome. */
export interface ServerEarlyStopping {
  isMet: boolean;
  recommendation: string;
  /** h(t) + t - n when the run falls short, else 0. */
  moreQueriesNeeded: number;
}

/** Server: pass iff n >= h(t) + t, t = samples with latency strictly above the target latency. */
export function serverEarlyStopping(input: {
  queriesIssued: number;
  overLatencyCount: number;
  percentile: number;
}): ServerEarlyStopping {
  const t = input.overLatencyCount;
  const needed = minPassingQueries(t, input.percentile) + t;
  if (input.queriesIssued >= needed)
    return { isMet: true, recommendation: ' * Run successful.', moreQueriesNeeded: 0 };
  const more = needed - input.queriesIssued;
  const recommendation =
    ` * Run unsuccessful.\n * Processed ${input.queriesIssued} queries.\n * Would need to run at least ${more} more queries,\n` +
    ` with the run being successful if every additional\n query were under latency.`;
  return { isMet: false, recommendation, moreQueriesNeeded: more };
}

/** Samples whose latency is strictly greater than the target (result_overlatency_query_count). */
export function countOverLatency(latenciesNs: readonly bigint[], targetLatencyNs: bigint): number {
  let count = 0;
  for (const latency of latenciesNs) if (latency > targetLatencyNs) count++;
  return count;
}

/** p x 100 with one decimal, as LoadGen prints it (0.9990000000000001 -> "99.9"). */
function formatPercentile(p: number): string {
  return (p * 100).toFixed(1);
}

function checkPercentile(p: number): void {
  if (!(p > 0 && p < 1)) {
    throw new CmError(
      'bad-input',
      `early stopping needs a percentile strictly between 0 and 1, got ${p}`,
      {
        hint: 'set target_latency_percentile to a value below 100',
      },
    );
  }
}
