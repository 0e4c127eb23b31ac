// StartTest (spec §5): the settings of the test (audit.config, effective values), the load/issue/
// unload series of its mode (accuracy, performance, or both for a submission run), the results of
// the performance series, and the four log files written into the log settings' folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSeries, type PerformanceSetRule } from '../loadable-sets.js';
import { renderAccuracyLog } from '../logs/accuracy-log.js';
import { DetailLog } from '../logs/detail-log.js';
import { logResults } from '../logs/result-entries.js';
import { renderSummary, type SummarySection } from '../logs/summary-log.js';
import { renderTrace } from '../logs/trace-log.js';
import { generateQueries } from '../query-generation.js';
import type { PerformanceResult } from '../results/performance-result.js';
import { SequenceGenerator } from '../sequence-generator.js';
import {
  defaultLogSettings,
  effectiveSettings,
  settingsLogEntries,
  startTestSettings,
  type EffectiveSettings,
  type LogSettings,
  type SettingsLogEntry,
  type TestSettings,
} from '../settings/index.js';
import type { QuerySampleLibrary, SystemUnderTest } from './api.js';
import { withActiveTest } from './active-test.js';
import { nowNs } from './clock.js';
import { Completions } from './completions.js';
import { performanceReport } from './performance-report.js';
import { runSeries } from './run-series.js';
import { seriesPlan } from './series-plan.js';
import { summaryParameters, logPreamble } from './test-log.js';

export interface StartTestOptions {
  logSettings?: Partial<LogSettings>;
  /** The text of audit.config, when the harness found one. */
  auditConfigText?: string;
  /** The performance-set rule: LoadGen >= 6.0 ('v6', default) or <= 5.1 ('legacy'). */
  setRule?: PerformanceSetRule;
  /** What reading the config files said before the test (fromConfig/loadUserConfig entries). */
  configEntries?: readonly SettingsLogEntry[];
}

export interface TestOutcome {
  summary: string;
  detail: string;
  accuracy: string;
  results: PerformanceResult[];
  errors: number;
  warnings: number;
  /** The files written (none when the log settings name no folder). */
  files: string[];
  /** Server performance series: how late each query was issued after its scheduled time. */
  issueDelaysNs: bigint[];
}

const NATURAL_END = 'Ending naturally: Minimum query count and test duration met.';

/** Run the series of the test; results of the performance ones. */
async function runAllSeries(
  sut: SystemUnderTest,
  qsl: QuerySampleLibrary,
  e: EffectiveSettings,
  log: DetailLog,
  at: () => { timeNs: bigint },
  completions: Completions,
  rule: PerformanceSetRule,
  issueDelaysNs: bigint[],
): Promise<PerformanceResult[]> {
  const testMode =
    e.mode === 'AccuracyOnly'
      ? 'accuracy'
      : e.mode === 'SubmissionRun'
        ? 'submission'
        : 'performance';
  const series = loadSeries({
    testMode,
    isMultiStream: e.scenario === 'MultiStream',
    samplesPerQuery: e.samplesPerQuery,
    totalSampleCount: qsl.totalSampleCount(),
    performanceSampleCount: e.performanceSampleCount,
    accuracySampleCount: e.accuracySampleCount,
    qslRngSeed: e.qslRngSeed,
    rule,
  });
  const sequence = new SequenceGenerator();
  const results: PerformanceResult[] = [];
  let mode: string | undefined;
  for (const s of series) {
    if (s.mode !== mode) log.log('generic_message', `Starting ${s.mode} mode`, at());
    mode = s.mode;
    log.log('loaded_qsl_set', s.set.samples, at());
    await qsl.loadSamplesToRam(s.set.samples);
    const gen = generateQueries(
      {
        scenario: e.scenario,
        mode: s.mode,
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
      s.set,
      sequence,
    );
    log.log('generated_query_count', BigInt(gen.generatedQueryCount), at());
    log.log('generated_samples_per_query', BigInt(gen.generatedSamplesPerQuery), at());
    log.log('generated_query_duration', gen.generatedQueryDurationNs, at());
    const r = await runSeries(sut, seriesPlan(e, gen, s.mode === 'accuracy'), completions);
    for (const err of r.errors) log.logError('error_runtime', err, at());
    if (s.mode === 'performance' && r.errors.length === 0 && e.scenario !== 'Server')
      log.log('generic_message', NATURAL_END, at());
    for (const err of completions.errors.splice(0)) log.logError('error_runtime', err, at());
    await qsl.unloadSamplesFromRam(s.set.samples);
    if (s.mode === 'performance') {
      issueDelaysNs.push(...r.issueDelaysNs);
      const result = performanceReport(e, r);
      logResults(log, result, at());
      results.push(result);
    }
  }
  return results;
}

export async function startTest(
  sut: SystemUnderTest,
  qsl: QuerySampleLibrary,
  requested: TestSettings,
  options: StartTestOptions = {},
): Promise<TestOutcome> {
  const logSettings = { ...defaultLogSettings(), ...options.logSettings };
  const t0 = nowNs();
  const at = (): { timeNs: bigint } => ({ timeNs: nowNs() - t0 });
  const log = new DetailLog({ pid: process.pid, tid: 0 });
  logPreamble(log, sut, qsl, at);
  for (const c of options.configEntries ?? []) logSettingsEntry(log, c, at);
  const audited = startTestSettings(requested, { auditConfigText: options.auditConfigText });
  for (const w of audited.warnings) log.logWarning(w.message, at());
  for (const err of audited.errors)
    log.logError(
      err.key === 'warning_generic_message' ? 'error_invalid_config' : err.key,
      err.message,
      at(),
    );
  const { effective, errors } = effectiveSettings(audited.settings, {
    totalSampleCount: qsl.totalSampleCount(),
    performanceSampleCount: qsl.performanceSampleCount(),
  });
  for (const { key, value } of settingsLogEntries(audited.settings, effective))
    log.log(key, value, at());
  for (const err of errors)
    log.logError(
      err.key === 'warning_generic_message' ? 'error_invalid_test_settings' : err.key,
      err.message,
      at(),
    );
  const completions = new Completions();
  const issueDelaysNs: bigint[] = [];
  let results: PerformanceResult[] = [];
  if (effective.mode === 'FindPeakPerformance')
    log.logError(
      'error_invalid_config',
      effective.scenario === 'Server'
        ? 'FindPeakPerformance is not supported by this LoadGen yet.'
        : 'Finding peak performance is only supported in Server scenarios.',
      at(),
    );
  else
    results = await withActiveTest(completions, () =>
      runAllSeries(
        sut,
        qsl,
        effective,
        log,
        at,
        completions,
        options.setRule ?? 'v6',
        issueDelaysNs,
      ),
    );
  if (results.length > 0) log.log('num_errors', BigInt(log.errorCount), at());
  const sections: SummarySection[] = results.map((result) => ({
    sutName: sut.name(),
    mode: effective.mode,
    result,
    parameters: summaryParameters(effective),
  }));
  const outcome: TestOutcome = {
    summary: renderSummary(sections, { warnings: log.warningCount, errors: log.errorCount }),
    detail: log.render(),
    accuracy: renderAccuracyLog(completions.accuracy),
    results,
    errors: log.errorCount,
    warnings: log.warningCount,
    files: [],
    issueDelaysNs,
  };
  writeLogFiles(outcome, logSettings);
  return outcome;
}

function logSettingsEntry(log: DetailLog, e: SettingsLogEntry, at: () => { timeNs: bigint }): void {
  if (e.key === 'warning_generic_message') log.logWarning(e.message, at());
  else log.logError(e.key, e.message, at());
}

function writeLogFiles(o: TestOutcome, s: LogSettings): void {
  if (s.outdir === '') return;
  mkdirSync(s.outdir, { recursive: true });
  const file = (name: string): string => join(s.outdir, `${s.prefix}${name}${s.suffix}`);
  const texts: Array<[string, string]> = [
    [file('summary.txt'), o.summary],
    [file('detail.txt'), o.detail],
    [file('accuracy.json'), o.accuracy],
  ];
  if (s.enableTrace) texts.push([file('trace.json'), renderTrace([], 0n)]);
  for (const [path, text] of texts) {
    writeFileSync(path, text);
    o.files.push(path);
  }
}
