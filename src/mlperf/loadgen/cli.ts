// `mlperf-loadgen synthetic ...`: the spec's fake SUT run through our LoadGen (§7), to compare its
// logs and figures with the official LoadGen's for the same settings. Writes the log files into
// --outdir and exits 0 whatever the validity (2 for bad arguments). `mlperf-loadgen onnx ...` (an
// onnxruntime-node harness) lives in ../harness/cli.ts, loaded only when asked for.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCmError } from '../../core/errors.js';
import { keyResults } from './key-results.js';
import { parseArgs } from 'node:util';
import { startTest } from './runtime/start-test.js';
import {
  defaultTestSettings,
  loadUserConfig,
  type Scenario,
  type TestMode,
} from './settings/index.js';
import { SyntheticQsl, SyntheticSut } from './synthetic-sut.js';
import { UsageError, isParseArgsError } from './usage-error.js';

const USAGE = `usage: mlperf-loadgen synthetic --scenario SingleStream|MultiStream|Server|Offline
  --mode performance|accuracy|submission|find_peak --service_us N --outdir DIR
  [--workers K] [--total T] [--perf P] [--model resnet50] [--user_conf FILE]
  [--accuracy_log_probability X] [--max_duration_ms MS]
  (an audit.config in the working folder overrides the settings, as LoadGen's)

A FIFO queue served by K workers (default 1), each sample taking N microseconds and completing
with the 4-byte little-endian float32 of its QSL index; QSL total 50000 and performance count 1024
unless given. The log files go to DIR; the exit status is 0 whatever the validity.

mlperf-loadgen onnx --help: an ONNX image classifier run with onnxruntime-node (resnet50).`;

const SCENARIOS: readonly Scenario[] = ['SingleStream', 'MultiStream', 'Server', 'Offline'];
const MODES: Readonly<Record<string, TestMode>> = {
  performance: 'PerformanceOnly',
  accuracy: 'AccuracyOnly',
  submission: 'SubmissionRun',
  find_peak: 'FindPeakPerformance',
};

function numberOf(v: string | undefined, name: string, dflt: number, integer = true): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n)))
    throw new UsageError(
      `--${name} must be a ${integer ? 'whole ' : ''}number >= 0 (found "${v}")`,
    );
  return n;
}

async function synthetic(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      mode: { type: 'string', default: 'performance' },
      service_us: { type: 'string' },
      workers: { type: 'string' },
      total: { type: 'string' },
      perf: { type: 'string' },
      model: { type: 'string', default: 'resnet50' },
      user_conf: { type: 'string' },
      accuracy_log_probability: { type: 'string' },
      max_duration_ms: { type: 'string' },
      outdir: { type: 'string' },
    },
  });
  const scenario = values.scenario as Scenario;
  if (!SCENARIOS.includes(scenario))
    throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  const mode = MODES[values.mode ?? ''];
  if (mode === undefined)
    throw new UsageError('--mode must be performance, accuracy, submission or find_peak');
  if (values.outdir === undefined) throw new UsageError('--outdir DIR is required');
  if (values.service_us === undefined) throw new UsageError('--service_us N is required');
  const confText = values.user_conf === undefined ? '' : readConf(values.user_conf);
  const loaded = loadUserConfig(
    defaultTestSettings(),
    confText,
    values.model!,
    scenario,
    { userConfsLoaded: 0 },
    { path: values.user_conf ?? 'user.conf' },
  );
  const settings = { ...loaded.settings, scenario, mode };
  if (values.accuracy_log_probability !== undefined)
    settings.accuracyLogProbability = numberOf(
      values.accuracy_log_probability,
      'accuracy_log_probability',
      0,
      false,
    );
  if (values.max_duration_ms !== undefined)
    settings.maxDurationMs = numberOf(values.max_duration_ms, 'max_duration_ms', 0);
  const qsl = new SyntheticQsl(
    numberOf(values.total, 'total', 50_000),
    numberOf(values.perf, 'perf', 1024),
  );
  const sut = new SyntheticSut(
    numberOf(values.service_us, 'service_us', 0, false),
    numberOf(values.workers, 'workers', 1),
  );
  // As LoadGen's StartTest: an audit.config in the working folder overrides the settings.
  const audit = readConf('audit.config');
  const outcome = await startTest(sut, qsl, settings, {
    logSettings: { outdir: values.outdir },
    configEntries: [...loaded.errors, ...loaded.warnings],
    ...(audit === undefined ? {} : { auditConfigText: audit }),
  });
  // Key results for `cme` (a sweep over scenarios, workers or service times records them).
  const output = join(values.outdir, 'cm-output.json');
  writeFileSync(output, JSON.stringify(keyResults(scenario, mode, outcome), null, 2) + '\n');
  process.stdout.write(`${[...outcome.files, output].join('\n')}\n`);
  return 0;
}

function readConf(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Run `mlperf-loadgen ARGS`; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'synthetic') return await synthetic(rest);
    if (command === 'onnx') return await (await import('../harness/cli.js')).onnx(rest);
    if (command === '--help' || command === '-h' || command === undefined) {
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError || isParseArgsError(e)) {
      const usage = e instanceof UsageError && e.usage !== undefined ? e.usage : USAGE;
      process.stderr.write(`mlperf-loadgen: ${e.message}\n${usage}\n`);
      return 2;
    }
    if (isCmError(e)) {
      process.stderr.write(`mlperf-loadgen: ${e.message}\n`);
      if (e.hint !== undefined) process.stderr.write(`  hint: ${e.hint}\n`);
      return 1;
    }
    throw e;
  }
}
