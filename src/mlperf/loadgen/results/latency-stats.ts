// Latency statistics of LoadGen's results (spec §4.1, §7 scenario 31): min, max, truncated integer
// mean and the percentiles at index floor(n·p) of the ascending list. No formatting here.

/** The percentiles every summary and detail log reports, in their order. */
export const REPORTED_PERCENTILES: readonly number[] = [0.5, 0.9, 0.95, 0.97, 0.99, 0.999];

/** One reported percentile and the latency at it. */
export interface PercentileLatency {
  readonly percentile: number;
  readonly latencyNs: bigint;
}

/** Statistics of one latency list; all zero for an empty list (LoadGen leaves them unset). */
export interface LatencyStats {
  readonly count: number;
  readonly minNs: bigint;
  readonly maxNs: bigint;
  /** Sum divided by count, truncated (int64 division). */
  readonly meanNs: bigint;
  /** The latency at the target percentile. */
  readonly targetNs: bigint;
  /** One entry per REPORTED_PERCENTILES value. */
  readonly percentiles: readonly PercentileLatency[];
}

/** Ascending copy of a latency list. */
export function sortLatencies(latencies: readonly bigint[]): bigint[] {
  return [...latencies].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Index of percentile `p` in an ascending list of `n`: floor(n·p) with n·p in float64. */
export function percentileIndex(count: number, percentile: number): number {
  return Math.floor(count * percentile);
}

function at(sorted: readonly bigint[], index: number): bigint {
  const value = sorted[Math.min(index, sorted.length - 1)];
  if (value === undefined) {
    throw new Error(`latency index ${index} outside a list of ${sorted.length}`);
  }
  return value;
}

/** Computes the statistics of `latencies` (any order) with `targetPercentile` as the headline. */
export function computeLatencyStats(
  latencies: readonly bigint[],
  targetPercentile: number,
): LatencyStats {
  const count = latencies.length;
  if (count === 0) {
    const percentiles = REPORTED_PERCENTILES.map((percentile) => ({ percentile, latencyNs: 0n }));
    return { count, minNs: 0n, maxNs: 0n, meanNs: 0n, targetNs: 0n, percentiles };
  }
  const sorted = sortLatencies(latencies);
  const sum = sorted.reduce((total, latency) => total + latency, 0n);
  return {
    count,
    minNs: at(sorted, 0),
    maxNs: at(sorted, count - 1),
    meanNs: sum / BigInt(count),
    targetNs: at(sorted, percentileIndex(count, targetPercentile)),
    percentiles: REPORTED_PERCENTILES.map((percentile) => ({
      percentile,
      latencyNs: at(sorted, percentileIndex(count, percentile)),
    })),
  };
}
