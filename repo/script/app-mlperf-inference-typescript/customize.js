// app-mlperf-inference-typescript: the `mlperf-loadgen onnx` command of one run, for run.sh.
import { fileURLToPath } from 'node:url';

const loadgenBin = fileURLToPath(new URL('../../../bin/mlperf-loadgen.js', import.meta.url));
const sq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

export function preprocess(i) {
  const env = i.env;
  if (env.CM_MLPERF_SKIP_RUN === 'yes') {
    env.CM_MLPERF_RUN_CMD = '';
    return { return: 0 };
  }
  const need = {
    CM_ML_MODEL_FILE_WITH_PATH: 'the model (get ml-model resnet50)',
    CM_DATASET_PREPROCESSED_PATH: 'the preprocessed dataset (get dataset imagenet preprocessed)',
    CM_DATASET_PREPROCESSED_VAL_MAP: 'the preprocessed dataset list',
    CM_MLPERF_OUTPUT_DIR: 'the output folder (generate mlperf inference user-conf)',
  };
  for (const [key, what] of Object.entries(need))
    if (!env[key]) return { return: 1, error: `${key} is not set: ${what} did not provide it`, hint: 'run this script through `cmr "app mlperf inference generic"` or `cmr "run-mlperf,inference"`, which prepare it' };
  const args = [
    'onnx',
    '--model', env.CM_ML_MODEL_FILE_WITH_PATH,
    '--dataset-list', env.CM_DATASET_PREPROCESSED_VAL_MAP,
    '--preprocessed', env.CM_DATASET_PREPROCESSED_PATH,
    '--scenario', env.CM_MLPERF_LOADGEN_SCENARIO || 'Offline',
    // A compliance test is a performance run that its audit.config changes.
    '--mode', env.CM_MLPERF_LOADGEN_MODE === 'compliance' ? 'performance' : env.CM_MLPERF_LOADGEN_MODE || 'performance',
    '--outdir', env.CM_MLPERF_OUTPUT_DIR,
    '--device', env.CM_MLPERF_DEVICE || 'cpu',
  ];
  const optional = {
    '--user_conf': env.CM_MLPERF_USER_CONF,
    '--audit_conf': env.CM_MLPERF_INFERENCE_AUDIT_PATH,
    '--threads': env.CM_NUM_THREADS || env.CM_HOST_CPU_TOTAL_CORES,
    '--max-batchsize': env.CM_MLPERF_LOADGEN_MAX_BATCHSIZE,
    '--workers': env.CM_MLPERF_INFERENCE_NUM_WORKERS,
    '--count': env.CM_MLPERF_LOADGEN_QUERY_COUNT,
    '--performance-sample-count': env.CM_MLPERF_LOADGEN_PERFORMANCE_SAMPLE_COUNT,
  };
  for (const [flag, value] of Object.entries(optional)) if (value) args.push(flag, value);
  env.CM_MLPERF_RUN_CMD = [process.execPath, loadgenBin, ...args].map(sq).join(' ');
  return { return: 0 };
}
