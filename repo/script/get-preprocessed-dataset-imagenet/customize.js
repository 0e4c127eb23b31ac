// get-preprocessed-dataset-imagenet: the first N images of the original data set's val_map,
// preprocessed as the MLPerf reference does for resnet50 into this cache entry's preprocessed/
// folder by the library (dist/mlperf/dataset/preprocess-dataset.js), once the original data set
// (a prehook dep) is there.
import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { preprocessDataset } from '../../../dist/mlperf/dataset/preprocess-dataset.js';
import { readValMap } from '../../../dist/mlperf/dataset/val-map.js';

const LAYOUTS = ['NCHW', 'NHWC'];

/** A CmError of the library (another module instance than the CLI's) as a hook result. */
function asResult(e) {
  if (e && e.name === 'CmError')
    return { return: e.returnCode ?? 1, error: e.message, hint: e.hint };
  throw e;
}

/** A whole number >= 1 from env[key], or undefined when it is not one. */
function count(env, key) {
  const n = Number(env[key]);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** The layout, image count and threads from env, checked: { error } for a bad value. */
function settings(env) {
  const layout = String(env.CM_DATASET_DATA_LAYOUT || 'NCHW');
  if (!LAYOUTS.includes(layout))
    return { error: `unknown data layout "${layout}": use _NCHW or _NHWC` };
  const requested = count(env, 'CM_DATASET_PREPROCESS_COUNT');
  if (requested === undefined)
    return {
      error: `the number of images must be a whole number >= 1 (found "${env.CM_DATASET_PREPROCESS_COUNT}")`,
      hint: 'for example _size.100, _500 or _full',
    };
  const threadsKey = env.CM_NUM_PREPROCESS_THREADS ? 'CM_NUM_PREPROCESS_THREADS' : 'CM_NUM_THREADS';
  const threads = env[threadsKey] ? count(env, threadsKey) : availableParallelism();
  if (threads === undefined)
    return { error: `--threads must be a whole number >= 1 (found "${env[threadsKey]}")` };
  return { layout, requested, threads };
}

/** The original data set's own val_map, else the aux data set's val.txt (as the reference does). */
function imageList(env) {
  if (env.CM_DATASET_IMAGENET_VAL_MAP) return String(env.CM_DATASET_IMAGENET_VAL_MAP);
  if (env.CM_DATASET_AUX_PATH) return join(String(env.CM_DATASET_AUX_PATH), 'val.txt');
  return undefined;
}

/**
 * Checks the settings, and makes --imagenet_path absolute for get-dataset-imagenet-val (a prehook
 * dep, run next, in this cache entry). A mapped flag is a const too, which deps get: both change.
 */
export function preprocess(i) {
  const env = i.env;
  const s = settings(env);
  if (s.error) return { return: 1, error: s.error, hint: s.hint };
  if (!env.CM_IMAGENET_PATH) return { return: 0 };
  const abs = resolve(
    String(env.CM_TMP_CURRENT_PATH || process.cwd()),
    String(env.CM_IMAGENET_PATH),
  );
  env.CM_IMAGENET_PATH = abs;
  if (i.const && i.const.CM_IMAGENET_PATH !== undefined) i.const.CM_IMAGENET_PATH = abs;
  return { return: 0 };
}

export async function postprocess(i) {
  const env = i.env;
  const log = i.automation.cmind.logger;
  const s = settings(env);
  const images = String(env.CM_DATASET_IMAGENET_VAL_PATH || env.CM_DATASET_PATH || '');
  const list = imageList(env);
  if (!list)
    return {
      return: 1,
      error: `the ImageNet images in ${images} come without labels (no val_map.txt)`,
      hint: 'pass a folder of ImageNet validation JPEGs with its val_map.txt: --imagenet_path=DIR',
    };
  const here = process.cwd();
  const out = join(here, 'preprocessed');
  let r;
  let entries;
  try {
    entries = (await readValMap(list)).slice(0, s.requested);
    if (entries.length < s.requested)
      log.info(`${list} lists ${entries.length} images: preprocessing all of them`);
    log.info(
      `Preprocessing ${entries.length} images of ${images} into ${out} (${s.threads} at a time)`,
    );
    const every = Math.max(1, Math.ceil(entries.length / 10));
    r = await preprocessDataset({
      imageDir: images,
      outputDir: out,
      entries,
      threads: s.threads,
      layout: s.layout,
      onProgress: (p) => {
        if (p.done % every === 0 || p.done === p.total)
          log.info(`  ${p.done}/${p.total} images (${p.skipped} already done)`);
      },
    });
  } catch (e) {
    return asResult(e);
  }
  const names = entries.map((e) => `${e.file}.npy`);
  writeFileSync(join(here, 'preprocessed_files.txt'), names.map((n) => join(out, n)).join('\n'));
  writeFileSync(join(here, 'preprocessed_filenames.txt'), names.join('\n'));
  env.CM_DATASET_PREPROCESSED_PATH = out;
  env.CM_DATASET_PREPROCESSED_VAL_MAP = r.valMap;
  env.CM_DATASET_PREPROCESSED_IMAGES_LIST = join(here, 'preprocessed_files.txt');
  env.CM_DATASET_PREPROCESSED_IMAGENAMES_LIST = join(here, 'preprocessed_filenames.txt');
  env.CM_DATASET_SIZE = String(entries.length);
  return { return: 0 };
}
