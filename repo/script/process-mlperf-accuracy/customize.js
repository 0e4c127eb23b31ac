// process-mlperf-accuracy: top-1 accuracy of an accuracy run (src/mlperf/submission/
// accuracy-imagenet-files.ts), written to accuracy.txt beside the log.
import { resolve } from 'node:path';
import { writeImagenetAccuracyTxt } from '../../../dist/mlperf/submission/accuracy-imagenet-files.js';

export async function preprocess(i) {
  const env = i.env;
  const dir = env.CM_MLPERF_ACCURACY_RESULTS_DIR;
  if (!dir) return { return: 1, error: 'no accuracy run to score', hint: 'give --result_dir=DIR (the folder of an accuracy run, with mlperf_log_accuracy.json)' };
  if (env.CM_DATASET !== 'imagenet') return { return: 1, error: `scoring ${env.CM_DATASET} accuracy runs is not implemented (only _imagenet)` };
  const valMap = env.CM_DATASET_PREPROCESSED_VAL_MAP || (env.CM_DATASET_AUX_PATH ? `${env.CM_DATASET_AUX_PATH}/val.txt` : '');
  if (!valMap) return { return: 1, error: 'no dataset list to score against', hint: 'give --val_map=FILE (lines "<image> <label>", in the order of the run\'s samples)' };
  const here = env.CM_TMP_CURRENT_PATH || '.';
  try {
    const r = await writeImagenetAccuracyTxt({ accuracyDir: resolve(here, dir), valMap: resolve(here, valMap), dtype: env.CM_ACCURACY_DTYPE || 'float32' });
    i.automation.cmind.logger.info(r.line);
    env.CM_MLPERF_ACCURACY_LINE = r.line;
    env.CM_MLPERF_ACCURACY_TXT = resolve(here, dir, 'accuracy.txt');
    return { return: 0 };
  } catch (e) {
    return { return: 1, error: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  }
}
