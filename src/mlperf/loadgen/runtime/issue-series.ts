// One load → issue → unload cycle of a test: the QSL loads the set, its queries are generated
// (and their counts logged), the issue loop runs them, and the QSL unloads the set. A performance
// series ends with its verdict (performanceReport); logging that verdict is the caller's choice.
import type { LoadableSet } from '../loadable-sets.js';
import type { DetailLog } from '../logs/detail-log.js';
import { generateQueries } from '../query-generation.js';
import type { PerformanceResult } from '../results/performance-result.js';
import type { SequenceGenerator } from '../sequence-generator.js';
import type { EffectiveSettings } from '../settings/index.js';
import type { QuerySampleLibrary, SystemUnderTest } from './api.js';
import type { Completions } from './completions.js';
import { performanceReport } from './performance-report.js';
import { runSeries } from './run-series.js';
import { seriesPlan } from './series-plan.js';

const NATURAL_END = 'Ending naturally: Minimum query count and test duration met.';

/** What every series of one test shares. */
export interface SeriesContext {
  sut: SystemUnderTest;
  qsl: QuerySampleLibrary;
  log: DetailLog;
  at: () => { timeNs: bigint };
  completions: Completions;
  sequence: SequenceGenerator;
  /** Server performance series append how late each query was issued. */
  issueDelaysNs: bigint[];
}

/** LoadGen's logger counters (always 0 here: no lock-free buffers to retry) and power window. */
const LOGGER_COUNTERS = [
  'logger_swap_request_slots_retry_count',
  'logger_swap_request_slots_retry_retry_count',
  'logger_swap_request_slots_retry_reencounter_count',
  'logger_start_reading_entries_retry_count',
  'logger_tls_total_log_cas_fail_count',
  'logger_tls_total_swap_buffers_slot_retry_count',
] as const;

/** `MM-DD-YYYY HH:MM:SS.mmm` in UTC, as LoadGen writes power_begin and power_end. */
export function powerTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`
  );
}

/** What LoadGen logs once a series' issuing is over: its logger counters, then the power window. */
function logSeriesEnd(
  log: DetailLog,
  at: () => { timeNs: bigint },
  r: { startWallMs: number; allDoneNs: bigint },
): void {
  for (const key of LOGGER_COUNTERS) log.log(key, 0n, at());
  log.log('power_begin', powerTimestamp(r.startWallMs), at());
  log.log('power_end', powerTimestamp(r.startWallMs + Number(r.allDoneNs / 1_000_000n)), at());
}

export async function loadSet(c: SeriesContext, set: LoadableSet): Promise<void> {
  c.log.log('loaded_qsl_set', set.samples, c.at());
  await c.qsl.loadSamplesToRam(set.samples);
}

export async function unloadSet(c: SeriesContext, set: LoadableSet): Promise<void> {
  await c.qsl.unloadSamplesFromRam(set.samples);
}

/**
 * Issues the queries of a loaded set with settings `e`; for a performance series, its verdict.
 * The set must be loaded (loadSet) and is left loaded.
 */
export async function issueSeries(
  c: SeriesContext,
  e: EffectiveSettings,
  set: LoadableSet,
  mode: 'accuracy' | 'performance',
): Promise<PerformanceResult | undefined> {
  const { log, at } = c;
  const gen = generateQueries(
    {
      scenario: e.scenario,
      mode,
      targetQps: e.targetQps,
      targetDurationMs: e.targetDurationMs,
      minQueryCount: e.minQueryCount,
      samplesPerQuery: e.samplesPerQuery,
      sampleIndexRngSeed: e.sampleIndexRngSeed,
      scheduleRngSeed: e.scheduleRngSeed,
      performanceIssueUnique: e.performanceIssueUnique,
      performanceIssueSame: e.performanceIssueSame,
      performanceIssueSameIndex: e.performanceIssueSameIndex,
      sampleConcatenatePermutation: e.sampleConcatenatePermutation,
    },
    set,
    c.sequence,
  );
  log.log('generated_query_count', BigInt(gen.generatedQueryCount), at());
  log.log('generated_samples_per_query', BigInt(gen.generatedSamplesPerQuery), at());
  log.log('generated_query_duration', gen.generatedQueryDurationNs, at());
  const r = await runSeries(c.sut, seriesPlan(e, gen, mode === 'accuracy'), c.completions);
  if (r.endedNaturally) log.log('generic_message', NATURAL_END, at());
  for (const err of r.errors) log.logError('error_runtime', err, at());
  logSeriesEnd(log, at, r);
  for (const err of c.completions.errors.splice(0)) log.logError('error_runtime', err, at());
  if (mode !== 'performance') return undefined;
  c.issueDelaysNs.push(...r.issueDelaysNs);
  return performanceReport(e, r);
}
