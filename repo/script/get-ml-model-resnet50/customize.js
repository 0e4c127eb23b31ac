// get-ml-model-resnet50: --model_path (a file on disk) or the downloaded model; checks that what
// it exports is a readable, non-empty file, named with its path when not.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/** A problem with the model file, or undefined when it is a non-empty file. */
function fileProblem(file) {
  let st;
  try {
    st = statSync(file);
  } catch {
    return { return: 16, error: `the model file ${file} does not exist`, hint: 'give --model_path=FILE with an ONNX model, or leave it out to download the MLPerf ResNet-50' };
  }
  if (!st.isFile() || st.size === 0) return { return: 1, error: `the model file ${file} is ${st.isFile() ? 'empty' : 'not a file'}` };
  return undefined;
}

export function preprocess(i) {
  const env = i.env;
  const given = env.CM_ML_MODEL_FILE_WITH_PATH;
  if (!given) return { return: 0 };
  // A relative path is relative to the folder cm was started in (not the cache entry).
  env.CM_ML_MODEL_FILE_WITH_PATH = resolve(env.CM_TMP_CURRENT_PATH || '.', given);
  return fileProblem(env.CM_ML_MODEL_FILE_WITH_PATH) ?? { return: 0 };
}

export function postprocess(i) {
  const env = i.env;
  const file = env.CM_ML_MODEL_FILE_WITH_PATH;
  if (!file) return { return: 1, error: 'no model file: the download gave none (CM_ML_MODEL_FILE_WITH_PATH is empty)' };
  const problem = fileProblem(file);
  if (problem) return problem;
  env.CM_ML_MODEL_FILE_WITH_PATH = resolve(file);
  env.CM_ML_MODEL_FILE = file.split('/').pop();
  env.CM_ML_MODEL_PATH = resolve(file, '..');
  // A model given on disk is quoted as its path; a download as its URL (measurements.json).
  if (!env.CM_ML_MODEL_STARTING_WEIGHTS_FILENAME || env.CM_ML_MODEL_STARTING_WEIGHTS_FILENAME === '<<<CM_PACKAGE_URL>>>')
    env.CM_ML_MODEL_STARTING_WEIGHTS_FILENAME = env.CM_PACKAGE_URL || file;
  return { return: 0 };
}
