// `mlperf-loadgen onnx ...`: an ONNX image classifier (resnet50_v1.onnx) run with onnxruntime-node
// through our LoadGen, as the reference vision harness (main.py) runs it. Reads the command line,
// renders the run's events as progress lines on stderr and lists the files written on stdout.
import { parseArgs } from 'node:util';
import { SCENARIOS, type Scenario } from '../loadgen/settings/index.js';
import { UsageError, isParseArgsError } from '../loadgen/usage-error.js';
import { BENCHMARK_MODES, type BenchmarkMode } from './benchmark-settings.js';
import { DEVICES, type Device } from './ort-classifier.js';
import {
  runOnnxBenchmark,
  type HarnessEvent,
  type OnnxBenchmarkOptions,
} from './run-onnx-benchmark.js';

export const ONNX_USAGE = `usage: mlperf-loadgen onnx --model FILE --dataset-list FILE --preprocessed DIR
  --scenario SingleStream|MultiStream|Server|Offline --mode performance|accuracy|submission
  --outdir DIR [--user_conf FILE] [--audit_conf FILE] [--threads N] [--max-batchsize B]
  [--workers K] [--count N] [--qps Q] [--time S] [--device cpu|cuda]
  [--performance-sample-count N] [--class-offset C] [--model-name resnet50]

Runs an ONNX image classifier with onnxruntime-node as the reference python harness does: the
images are the <image>.npy files (float32 [3,H,W]) in DIR of the images listed in --dataset-list
('<image> <label>' lines); the model's input_tensor:0 (or only input) takes them, the class is
ArgMax:0 (or the argmax of the first output) plus C (default -1: resnet50's background class),
answered as a float32. Settings: mlperf.conf, then --user_conf for the model (resnet50) and
scenario; --count N uses the first N images and N queries, --time S runs S seconds, --qps sets
the Server/Offline target. Batches of at most B samples (default 32, SingleStream 1) run on K
worker threads (default 1; 0 runs them on the main thread), each a session of N threads
(default: the cores shared among the workers). The logs and cm-output.json go to --outdir.
Exit status 0 whatever the validity, 1 for an error (a missing file, a bad model), 2 for bad
arguments.`;

const OPTIONS = {
  model: { type: 'string' },
  'dataset-list': { type: 'string' },
  preprocessed: { type: 'string' },
  scenario: { type: 'string' },
  mode: { type: 'string', default: 'performance' },
  outdir: { type: 'string' },
  user_conf: { type: 'string' },
  audit_conf: { type: 'string' },
  threads: { type: 'string' },
  'max-batchsize': { type: 'string' },
  workers: { type: 'string' },
  count: { type: 'string' },
  qps: { type: 'string' },
  time: { type: 'string' },
  device: { type: 'string', default: 'cpu' },
  'performance-sample-count': { type: 'string' },
  'class-offset': { type: 'string' },
  'model-name': { type: 'string', default: 'resnet50' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

const usageError = (message: string): UsageError => new UsageError(message, ONNX_USAGE);

/** A number option within [min, ∞), whole unless `fraction`; undefined when not given. */
function numberOption(
  values: Values,
  name: keyof Values,
  min: number,
  fraction = false,
): number | undefined {
  const v = values[name];
  if (v === undefined || typeof v !== 'string') return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || (!fraction && !Number.isInteger(n)))
    throw usageError(
      `--${name} must be a ${fraction ? '' : 'whole '}number` +
        `${min === -Infinity ? '' : ` >= ${min}`} (found "${v}")`,
    );
  return n;
}

function required(
  values: Values,
  name: 'model' | 'dataset-list' | 'preprocessed' | 'outdir',
): string {
  const v = values[name];
  if (v === undefined || v === '') throw usageError(`--${name} is required`);
  return v;
}

function optionsOf(values: Values): OnnxBenchmarkOptions {
  const scenario = values.scenario as Scenario;
  if (!SCENARIOS.includes(scenario))
    throw usageError(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  const mode = values.mode as BenchmarkMode;
  if (!Object.hasOwn(BENCHMARK_MODES, mode))
    throw usageError('--mode must be performance, accuracy or submission');
  const device = values.device as Device;
  if (!DEVICES.includes(device)) throw usageError(`--device must be one of ${DEVICES.join(', ')}`);
  const numbers = {
    threads: numberOption(values, 'threads', 1),
    maxBatchSize: numberOption(values, 'max-batchsize', 1),
    workers: numberOption(values, 'workers', 0),
    count: numberOption(values, 'count', 1),
    qps: numberOption(values, 'qps', 0, true),
    timeS: numberOption(values, 'time', 0, true),
    performanceSampleCount: numberOption(values, 'performance-sample-count', 1),
    classOffset: numberOption(values, 'class-offset', -Infinity),
  };
  const given = Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined));
  return {
    model: required(values, 'model'),
    datasetList: required(values, 'dataset-list'),
    preprocessedDir: required(values, 'preprocessed'),
    outdir: required(values, 'outdir'),
    scenario,
    mode,
    device,
    modelName: values['model-name'],
    ...(values.user_conf === undefined ? {} : { userConf: values.user_conf }),
    ...(values.audit_conf === undefined ? {} : { auditConf: values.audit_conf }),
    ...given,
  };
}

const say = (line: string): void => void process.stderr.write(`mlperf-loadgen onnx: ${line}\n`);

/** The progress lines of a run. */
function renderEvent(e: HarnessEvent, o: OnnxBenchmarkOptions): void {
  switch (e.type) {
    case 'dataset-opened':
      say(`${e.samples} samples (performance set ${e.performanceSamples}) from ${o.datasetList}`);
      return;
    case 'model-loaded':
      say(
        `${o.model}: ${e.info.input} -> ${e.info.output}; ` +
          `${e.workers === 0 ? 'main thread' : `${e.workers} worker${e.workers > 1 ? 's' : ''}`}` +
          ` x ${e.threads} thread${e.threads > 1 ? 's' : ''} on ${e.device}`,
      );
      return;
    case 'warm-up-done':
      say(`warm-up ${e.ms.toFixed(0)} ms; running ${o.scenario} ${o.mode}`);
      return;
    case 'inference-failed':
      say(
        `an inference failed (samples ${e.failure.indices.join(', ')}): ${e.failure.message}; ` +
          'failed samples complete with no data',
      );
      return;
    case 'test-finished':
      return;
    default: {
      const never: never = e;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

/** Run `mlperf-loadgen onnx ARGS`; resolves to the exit status (CmErrors and UsageErrors thrown). */
export async function onnx(argv: string[]): Promise<number> {
  let values: Values;
  try {
    values = parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (e) {
    if (isParseArgsError(e)) throw usageError(e.message);
    throw e;
  }
  if (values.help === true) {
    process.stdout.write(`${ONNX_USAGE}\n`);
    return 0;
  }
  const options = optionsOf(values);
  const r = await runOnnxBenchmark({ ...options, onEvent: (e) => renderEvent(e, options) });
  const k = r.keyResults as { metric?: { name: string; value: number }; valid?: boolean };
  const parts = [
    k.metric && `${k.metric.name} ${k.metric.value.toPrecision(6)}`,
    k.valid !== undefined && (k.valid ? 'VALID' : 'INVALID'),
    r.accuracy?.line,
    r.failedSamples > 0 && `${r.failedSamples} samples failed`,
    r.outcome.errors > 0 && `${r.outcome.errors} LoadGen errors (see mlperf_log_detail.txt)`,
  ].filter((p): p is string => typeof p === 'string');
  say(`${options.scenario} ${options.mode} done${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`);
  process.stdout.write(`${r.files.join('\n')}\n`);
  return 0;
}
