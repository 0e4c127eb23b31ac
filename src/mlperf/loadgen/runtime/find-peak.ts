// FindPeakPerformance (spec §1.6, Server only): run at the user's target_qps; if that meets the
// latency constraint, widen it by (1 + boundary_step_size) until a run fails, then bisect the
// [passing, failing) interval until the two bounds differ by at most one unit of
// decimals_of_precision. The peak is the last passing run. Each run is a performance series on
// the performance set, with the same sequence ids counting on; the messages are LoadGen's.
import type { LoadableSet } from '../loadable-sets.js';
import { formatFixed } from '../logs/number-format.js';
import type { PerformanceResult } from '../results/performance-result.js';
import type { EffectiveSettings } from '../settings/index.js';
import { issueSeries, loadSet, unloadSet, type SeriesContext } from './issue-series.js';

export const FIND_PEAK_NOT_SUPPORTED =
  'Finding peak performance is only supported in Server scenarios.';

/** Widening stops after this many steps without a failing run (LoadGen would go on forever). */
const MAX_WIDENINGS = 40;

export interface FindPeakSettings {
  /** server_find_peak_qps_decimals_of_precision (default 1). */
  decimalsOfPrecision: number;
  /** server_find_peak_qps_boundary_step_size (default 1: the qps doubles). */
  boundaryStepSize: number;
}

interface Bound {
  qps: number;
  result: PerformanceResult;
}

/** std::to_string of a double: six decimals of its exact value (ties to even, as printf). */
const field = (qps: number): string => formatFixed(qps, 6);

/** LoadGen's IsFinished: floor(l · 10^p) + 1 >= floor(u · 10^p). */
export function isSearchFinished(lower: number, upper: number, decimals: number): boolean {
  const scale = 10 ** decimals;
  return Math.floor(lower * scale) + 1 >= Math.floor(upper * scale);
}

/** The peak run (its settings' target_qps and result), or undefined when not a Server test. */
export async function findPeakPerformance(
  c: SeriesContext,
  e: EffectiveSettings,
  set: LoadableSet,
  peak: FindPeakSettings,
): Promise<{ settings: EffectiveSettings; result: PerformanceResult } | undefined> {
  const message = (text: string): void => c.log.log('generic_message', text, c.at());
  message('Starting FindPeakPerformance mode');
  if (e.scenario !== 'Server') {
    c.log.logError('error_invalid_config', FIND_PEAK_NOT_SUPPORTED, c.at());
    return undefined;
  }
  const at = (qps: number): EffectiveSettings => ({ ...e, targetQps: qps });
  const runAt = async (qps: number): Promise<Bound> => ({
    qps,
    result: (await issueSeries(c, at(qps), set, 'performance'))!,
  });
  const once = async (qps: number): Promise<Bound> => {
    await loadSet(c, set);
    try {
      return await runAt(qps);
    } finally {
      await unloadSet(c, set);
    }
  };
  const done = (b: Bound): { settings: EffectiveSettings; result: PerformanceResult } => ({
    settings: at(b.qps),
    result: b.result,
  });

  message(`FindPeakPerformance: Check validity of the base settings field: ${field(e.targetQps)}`);
  let lower = await once(e.targetQps);
  if (!lower.result.checks.isPerfConstraintsMet) {
    c.log.logError(
      'error_runtime',
      'FindPeakPerformance: Initial lower bound does not satisfy performance constraints, msg: Reduce target QPS to improve latency.',
      c.at(),
    );
    return done(lower);
  }
  let upper: Bound | undefined;
  for (let step = 0; upper === undefined; step++) {
    const next = lower.qps * (1 + peak.boundaryStepSize);
    if (step >= MAX_WIDENINGS || !Number.isFinite(next)) {
      c.log.logError(
        'error_runtime',
        `FindPeakPerformance: no upper bound found after ${step} widenings (the SUT met the latency constraint at ${field(lower.qps)})`,
        c.at(),
      );
      return done(lower);
    }
    message(`FindBoundaries: Checking fields [${field(lower.qps)}, ${field(next)})`);
    const tried = await once(next);
    if (tried.result.checks.isPerfConstraintsMet) lower = tried;
    else upper = tried;
  }
  message(`FindPeakPerformance: Found boundaries: [${field(lower.qps)}, ${field(upper.qps)})`);
  await loadSet(c, set);
  try {
    while (!isSearchFinished(lower.qps, upper.qps, peak.decimalsOfPrecision)) {
      const mid = lower.qps + (upper.qps - lower.qps) / 2;
      message(
        `FindPeakPerformanceBinarySearch: Testing the mid value of bounds [${field(lower.qps)}, ${field(upper.qps)}): ${field(mid)}`,
      );
      const tried = await runAt(mid);
      if (tried.result.checks.isPerfConstraintsMet) lower = tried;
      else upper = tried;
    }
  } finally {
    await unloadSet(c, set);
  }
  message(`FindPeakPerformance: Found peak performance field: ${field(lower.qps)}`);
  return done(lower);
}
