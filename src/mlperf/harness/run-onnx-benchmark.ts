// One MLPerf run of an ONNX image classifier through our LoadGen, as the reference main.py does it
// (spec §6.4): settings, the preprocessed QSL, the model's runners, a warm-up on sample 0, then
// startTest; the official logs and cm-output.json (key results) go to the output folder. Progress
// is reported as events; nothing is printed here.
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { keyResults } from '../loadgen/key-results.js';
import { startTest, type Scenario, type TestOutcome } from '../loadgen/index.js';
import {
  computeImagenetAccuracy,
  parseAccuracyLog,
  type ImagenetAccuracy,
} from '../submission/accuracy-imagenet.js';
import { benchmarkSettings, type BenchmarkMode } from './benchmark-settings.js';
import { startInferenceEngine, type InferenceEngine } from './inference-engine.js';
import { OnnxSut, type InferenceFailure } from './onnx-sut.js';
import type { ClassifierInfo, Device } from './ort-classifier.js';
import { PreprocessedQsl } from './preprocessed-qsl.js';

export interface OnnxBenchmarkOptions {
  model: string;
  datasetList: string;
  preprocessedDir: string;
  scenario: Scenario;
  mode: BenchmarkMode;
  outdir: string;
  userConf?: string;
  /** LoadGen's audit.config; when absent, `audit.config` of the working folder if there is one. */
  auditConf?: string;
  /** onnxruntime threads per session; default: the cores shared among the workers. */
  threads?: number;
  /** Default 32 (the reference profile), 1 for SingleStream. */
  maxBatchSize?: number;
  /** Worker threads, each with a session (default 1; 0: infer on the main thread). */
  workers?: number;
  count?: number;
  qps?: number;
  timeS?: number;
  device?: Device;
  performanceSampleCount?: number;
  /** Added to the model's class index; default -1 (resnet50's background class). */
  classOffset?: number;
  /** The model name in the config files; default resnet50. */
  modelName?: string;
  onEvent?: (event: HarnessEvent) => void;
}

export type HarnessEvent =
  | { type: 'dataset-opened'; samples: number; performanceSamples: number }
  | {
      type: 'model-loaded';
      info: ClassifierInfo;
      workers: number;
      threads: number;
      device: Device;
    }
  | { type: 'warm-up-done'; ms: number }
  | { type: 'inference-failed'; failure: InferenceFailure }
  | { type: 'test-finished'; outcome: TestOutcome };

export interface OnnxBenchmarkResult {
  outcome: TestOutcome;
  /** What cm-output.json holds. */
  keyResults: Record<string, unknown>;
  /** The log files and cm-output.json. */
  files: string[];
  failedSamples: number;
  /** Top-1 of the accuracy log against the list's labels (accuracy and submission runs). */
  accuracy?: ImagenetAccuracy;
}

const WARM_UP_RUNS = 5;
const PROFILE_MAX_BATCH = 32;

function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CmError('file-not-found', `cannot read ${what} ${path}: ${String(e)}`, { cause: e });
  }
}

function auditConfigText(path: string | undefined): string | undefined {
  if (path !== undefined) return readFile(path, 'the audit config');
  return existsSync('audit.config') ? readFile('audit.config', 'the audit config') : undefined;
}

/** 5 inferences on sample 0 with each runner before the test, as main.py (a session's first runs are slow). */
async function warmUp(engine: InferenceEngine, qsl: PreprocessedQsl): Promise<number> {
  const t0 = performance.now();
  qsl.loadSamplesToRam([0]);
  const shape = qsl.sampleShape!;
  for (const runner of engine.runners)
    for (let i = 0; i < WARM_UP_RUNS; i++) {
      const batch = Float32Array.from(qsl.sample(0));
      await runner.classify(batch, [1, ...shape]).catch((e: Error) => {
        throw new CmError(
          'bad-input',
          `the warm-up inference on ${qsl.entries[0]!.file} failed: ${e.message}`,
          {
            hint: `the model's ${engine.info.input} takes [${engine.info.inputShape.join(', ')}]; the samples are [1, ${shape.join(', ')}]`,
            cause: e,
          },
        );
      });
    }
  qsl.unloadSamplesFromRam([0]);
  return performance.now() - t0;
}

function accuracyOf(
  outcome: TestOutcome,
  qsl: PreprocessedQsl,
  file: string,
): ImagenetAccuracy | undefined {
  const entries = parseAccuracyLog(outcome.accuracy, file);
  return entries.length === 0 ? undefined : computeImagenetAccuracy(entries, qsl.entries, { file });
}

function accuracyKeys(a: ImagenetAccuracy): Record<string, unknown> {
  return { percent: (100 * a.good) / a.total, good: a.good, total: a.total, line: a.line };
}

/** How the run was made, for cm-output.json. */
function harnessKeys(
  model: string,
  info: ClassifierInfo,
  sut: OnnxSut,
  run: { device: Device; workers: number; threads: number },
): Record<string, unknown> {
  return {
    model,
    input: info.input,
    output: info.output,
    ...run,
    max_batchsize: sut.maxBatchSize,
    batches: sut.batchesRun,
    failed_samples: sut.failedSamples,
    first_error: sut.firstFailure?.message ?? null,
  };
}

export async function runOnnxBenchmark(o: OnnxBenchmarkOptions): Promise<OnnxBenchmarkResult> {
  const emit = o.onEvent ?? ((): void => {});
  const { settings, configEntries } = benchmarkSettings({
    modelName: o.modelName ?? 'resnet50',
    scenario: o.scenario,
    mode: o.mode,
    ...(o.userConf === undefined
      ? {}
      : { userConf: { text: readFile(o.userConf, 'the user config'), path: o.userConf } }),
    ...(o.timeS === undefined ? {} : { timeS: o.timeS }),
    ...(o.qps === undefined ? {} : { qps: o.qps }),
    ...(o.count === undefined ? {} : { count: o.count }),
  });
  const auditText = auditConfigText(o.auditConf);
  const qsl = new PreprocessedQsl(o);
  emit({
    type: 'dataset-opened',
    samples: qsl.totalSampleCount(),
    performanceSamples: qsl.performanceSampleCount(),
  });
  const isSingleStream = o.scenario === 'SingleStream';
  // SingleStream has one sample in flight: the reference runs it inline, one runner is enough.
  const workers = Math.min(o.workers ?? 1, isSingleStream ? 1 : Infinity);
  const threads =
    o.threads ?? Math.max(1, Math.floor(availableParallelism() / Math.max(1, workers)));
  const device = o.device ?? 'cpu';
  const engine = await startInferenceEngine({ modelPath: o.model, threads, device }, workers);
  try {
    emit({ type: 'model-loaded', info: engine.info, workers, threads, device });
    emit({ type: 'warm-up-done', ms: await warmUp(engine, qsl) });
    const sut = new OnnxSut({
      samples: qsl,
      runners: engine.runners,
      maxBatchSize: o.maxBatchSize ?? (isSingleStream ? 1 : PROFILE_MAX_BATCH),
      classOffset: o.classOffset ?? -1,
      onFailure: (failure) => emit({ type: 'inference-failed', failure }),
    });
    const outcome = await startTest(sut, qsl, settings, {
      logSettings: { outdir: o.outdir, enableTrace: false },
      configEntries,
      ...(auditText === undefined ? {} : { auditConfigText: auditText }),
    });
    emit({ type: 'test-finished', outcome });
    const accuracyFile = join(o.outdir, 'mlperf_log_accuracy.json');
    const accuracy =
      o.mode !== 'performance' && sut.failedSamples === 0
        ? accuracyOf(outcome, qsl, accuracyFile)
        : undefined;
    const results = {
      ...keyResults(settings.scenario, settings.mode, outcome),
      ...(accuracy === undefined ? {} : { accuracy: accuracyKeys(accuracy) }),
      harness: harnessKeys(o.model, engine.info, sut, { device, workers, threads }),
    };
    const output = join(o.outdir, 'cm-output.json');
    writeFileSync(output, JSON.stringify(results, null, 2) + '\n');
    return {
      outcome,
      keyResults: results,
      files: [...outcome.files, output],
      failedSamples: sut.failedSamples,
      ...(accuracy === undefined ? {} : { accuracy }),
    };
  } finally {
    await engine.close();
  }
}
