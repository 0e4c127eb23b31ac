// StartTest (spec §5): the settings of the test (audit.config, effective values), the load/issue/
// unload series of its mode (accuracy, performance, or both for a submission run), the results of
// the performance series, and the four log files written into the log settings' folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSeries, type LoadSeries, type PerformanceSetRule } from '../loadable-sets.js';
import { renderAccuracyLog } from '../logs/accuracy-log.js';
import { DetailLog } from '../logs/detail-log.js';
import { logResults } from '../logs/result-entries.js';
import { renderSummary, type SummarySection } from '../logs/summary-log.js';
import { renderTrace } from '../logs/trace-log.js';
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
import { findPeakPerformance } from './find-peak.js';
import { issueSeries, loadSet, unloadSet, type SeriesContext } from './issue-series.js';
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

/** The series of an accuracy, performance or submission test; results of the performance ones. */
async function runAllSeries(
  c: SeriesContext,
  e: EffectiveSettings,
  rule: PerformanceSetRule,
): Promise<PerformanceResult[]> {
  const results: PerformanceResult[] = [];
  let mode: string | undefined;
  for (const s of seriesOf(c, e, rule)) {
    if (s.mode !== mode) c.log.log('generic_message', `Starting ${s.mode} mode`, c.at());
    mode = s.mode;
    await loadSet(c, s.set);
    const result = await issueSeries(c, e, s.set, s.mode);
    await unloadSet(c, s.set);
    if (result) {
      logResults(c.log, result, c.at());
      results.push(result);
    }
  }
  return results;
}

function seriesOf(c: SeriesContext, e: EffectiveSettings, rule: PerformanceSetRule): LoadSeries[] {
  const testMode =
    e.mode === 'AccuracyOnly'
      ? 'accuracy'
      : e.mode === 'SubmissionRun'
        ? 'submission'
        : 'performance';
  return loadSeries({
    testMode,
    isMultiStream: e.scenario === 'MultiStream',
    samplesPerQuery: e.samplesPerQuery,
    totalSampleCount: c.qsl.totalSampleCount(),
    performanceSampleCount: e.performanceSampleCount,
    accuracySampleCount: e.accuracySampleCount,
    qslRngSeed: e.qslRngSeed,
    rule,
  });
}

/** FindPeakPerformance: the peak run's result, with the settings it ran at (its target_qps). */
async function runFindPeak(
  c: SeriesContext,
  e: EffectiveSettings,
  requested: TestSettings,
  rule: PerformanceSetRule,
): Promise<{ settings: EffectiveSettings; result: PerformanceResult } | undefined> {
  const [performance] = seriesOf(c, e, rule);
  const peak = await findPeakPerformance(c, e, performance!.set, {
    decimalsOfPrecision: requested.serverFindPeakQpsDecimalsOfPrecision,
    boundaryStepSize: requested.serverFindPeakQpsBoundaryStepSize,
  });
  if (peak) logResults(c.log, peak.result, c.at());
  return peak;
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
  const c: SeriesContext = {
    sut,
    qsl,
    log,
    at,
    completions: new Completions(),
    sequence: new SequenceGenerator(),
    issueDelaysNs: [],
  };
  const rule = options.setRule ?? 'v6';
  let results: PerformanceResult[] = [];
  let parameters = summaryParameters(effective);
  if (effective.mode === 'FindPeakPerformance') {
    const peak = await withActiveTest(c.completions, () =>
      runFindPeak(c, effective, audited.settings, rule),
    );
    if (peak) {
      results = [peak.result];
      parameters = summaryParameters(peak.settings);
    }
  } else results = await withActiveTest(c.completions, () => runAllSeries(c, effective, rule));
  const sections: SummarySection[] = results.map((result) => ({
    sutName: sut.name(),
    mode: effective.mode,
    result,
    parameters,
  }));
  const outcome: TestOutcome = {
    summary: renderSummary(sections, { warnings: log.warningCount, errors: log.errorCount }),
    detail: log.render(),
    accuracy: renderAccuracyLog(c.completions.accuracy),
    results,
    errors: log.errorCount,
    warnings: log.warningCount,
    files: [],
    issueDelaysNs: c.issueDelaysNs,
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
