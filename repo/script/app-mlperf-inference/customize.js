// app-mlperf-inference: checks what can run; after the run, completes the run folder
// (measurements.json, README.md, cm-sut-info.json) and its key results (cm-output.json, with the
// accuracy of an accuracy run), which also go to state.mlperf_inference_run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measurementsJson, runReadme, sutInfo, writeSutInfo } from '../../../dist/mlperf/pipeline/run-files.js';
import { verifyComplianceRun } from '../../../dist/mlperf/compliance/compliance-run.js';

export function preprocess(i) {
  const env = i.env;
  const impl = env.CM_MLPERF_IMPLEMENTATION;
  if (impl !== 'typescript')
    return {
      return: 1,
      error: `--implementation=${impl} is not available: this CM runs MLPerf inference with its TypeScript implementation`,
      hint: 'use --implementation=typescript (the reference Python harness needs the MLCommons inference sources and PyPI packages)',
    };
  if (env.CM_MLPERF_BACKEND !== 'onnxruntime')
    return { return: 1, error: `--backend=${env.CM_MLPERF_BACKEND} is not available for the TypeScript implementation`, hint: 'use --backend=onnxruntime' };
  if (!['cpu', 'cuda'].includes(env.CM_MLPERF_DEVICE))
    return { return: 1, error: `--device=${env.CM_MLPERF_DEVICE} is not one of cpu, cuda` };
  return { return: 0 };
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The command that runs this run again, as README.md quotes it. */
function rerunCommand(env) {
  const flags = [
    `--model=${env.CM_MODEL}`,
    `--implementation=${env.CM_MLPERF_IMPLEMENTATION}`,
    `--backend=${env.CM_MLPERF_BACKEND}`,
    `--device=${env.CM_MLPERF_DEVICE}`,
    `--scenario=${env.CM_MLPERF_LOADGEN_SCENARIO}`,
    `--mode=${env.CM_MLPERF_LOADGEN_MODE}`,
    `--execution_mode=${env.CM_MLPERF_RUN_STYLE}`,
  ];
  return `cmr "app mlperf inference generic" ${flags.join(' ')} --rerun --quiet`;
}

/** measurements.json and README.md of a performance or accuracy run folder. */
function writeRunFiles(env, runDir, mode) {
  writeFileSync(
    join(runDir, 'measurements.json'),
    measurementsJson({
      startingWeightsFilename: env.CM_ML_MODEL_STARTING_WEIGHTS_FILENAME || env.CM_ML_MODEL_FILE_WITH_PATH || '',
      retraining: env.CM_ML_MODEL_RETRAINING || 'no',
      inputDataTypes: env.CM_ML_MODEL_INPUT_DATA_TYPES || 'fp32',
      weightDataTypes: env.CM_ML_MODEL_WEIGHT_DATA_TYPES || 'fp32',
      weightTransformations: env.CM_ML_MODEL_WEIGHT_TRANSFORMATIONS || 'no',
    }),
  );
  writeFileSync(
    join(runDir, 'README.md'),
    runReadme({ model: env.CM_MODEL, scenario: env.CM_MLPERF_LOADGEN_SCENARIO, mode, command: rerunCommand(env), sut: env.CM_SUT_NAME }),
  );
}

/** The accuracy line of an accuracy run, as key results. */
function accuracyOf(runDir) {
  if (!existsSync(join(runDir, 'accuracy.txt'))) return undefined;
  const line = readFileSync(join(runDir, 'accuracy.txt'), 'utf8').split('\n')[0];
  const m = /^accuracy=([\d.]+)%, good=(\d+), total=(\d+)/.exec(line);
  return m ? { top1_percent: Number(m[1]), good: Number(m[2]), total: Number(m[3]) } : undefined;
}

export async function postprocess(i) {
  const env = i.env;
  const runDir = env.CM_MLPERF_OUTPUT_DIR;
  const mode = env.CM_MLPERF_LOADGEN_MODE;
  const log = i.automation.cmind.logger;
  const naming = {
    hwName: env.CM_HW_NAME,
    implementation: env.CM_MLPERF_IMPLEMENTATION,
    device: env.CM_MLPERF_DEVICE,
    backend: env.CM_MLPERF_BACKEND,
    backendVersion: env.CM_MLPERF_BACKEND_VERSION,
  };
  await writeSutInfo(env.CM_MLPERF_INFERENCE_RESULTS_SUT_PATH, sutInfo(naming));
  if (mode !== 'compliance') writeRunFiles(env, runDir, mode);
  const outputFile = join(runDir, 'cm-output.json');
  const results = readJson(outputFile);
  if (results === undefined) return { return: 1, error: `the run left no readable ${outputFile}`, hint: `see the logs in ${runDir}` };
  const accuracy = mode === 'accuracy' ? accuracyOf(runDir) : undefined;
  if (accuracy) results.accuracy = accuracy;
  if (mode === 'compliance') {
    try {
      // A TEST01 whose sampled responses differ gets the official second chance: the accuracy of both
      // runs on the same samples, scored against the dataset's labels.
      const valMap = env.CM_DATASET_PREPROCESSED_VAL_MAP || (env.CM_DATASET_AUX_PATH ? join(env.CM_DATASET_AUX_PATH, 'val.txt') : '');
      const c = await verifyComplianceRun(
        env.CM_MLPERF_SCENARIO_RESULTS_DIR,
        env.CM_MLPERF_LOADGEN_COMPLIANCE_TEST,
        'float32',
        valMap ? { valMap, dtype: env.CM_ACCURACY_DTYPE || 'float32', model: env.CM_MODEL || 'resnet50' } : undefined,
      );
      results.compliance = { test: c.test, passed: c.isPassing, reports: c.reports };
      const say = c.isPassing ? log.info : log.warning;
      say(`${env.CM_MLPERF_LOADGEN_SCENARIO} ${c.test}: ${c.isPassing ? 'TEST PASS' : 'TEST FAIL'} (${c.reports.join(', ')})`);
    } catch (e) {
      return { return: 1, error: e.message, ...(e.hint ? { hint: e.hint } : {}) };
    }
  }
  writeFileSync(outputFile, `${JSON.stringify(results, null, 2)}\n`);
  if (results.metric) log.info(`${env.CM_MLPERF_LOADGEN_SCENARIO} ${mode}: ${results.metric.name} = ${results.metric.value} ${results.metric.unit} (${results.valid ? 'VALID' : 'INVALID'})`);
  if (results.accuracy) log.info(`${env.CM_MLPERF_LOADGEN_SCENARIO} accuracy: ${results.accuracy.top1_percent}% top-1 (${results.accuracy.good} of ${results.accuracy.total})`);
  i.state.mlperf_inference_run = { ...results, run_dir: runDir, style: env.CM_MLPERF_RUN_STYLE, sut: env.CM_SUT_NAME };
  return { return: 0 };
}
