// get-dataset-imagenet-val: a folder given with --imagenet_path (checked against its val_map.txt),
// or the 500-image subset downloaded through download-and-extract. The val_map checks are the
// library's (dist/mlperf/dataset/val-map.js).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkValMapImages, readValMap } from '../../../dist/mlperf/dataset/val-map.js';

const SUBSET = 500;
const FOLDER = 'imagenet-2012-val';
const PATH_HINT =
  'pass a folder of ImageNet validation JPEGs with its val_map.txt ("<image file> <label>" per line): --imagenet_path=DIR';

/** A CmError of the library (another module instance than the CLI's) as a hook result. */
function asResult(e) {
  if (e && e.name === 'CmError')
    return { return: e.returnCode ?? 1, error: e.message, hint: e.hint };
  throw e;
}

/** The folder the user gave: --imagenet_path (IMAGENET_PATH), or CM_IMAGENET_PATH from get-preprocessed-dataset-imagenet. */
function givenPath(env) {
  for (const key of ['IMAGENET_PATH', 'CM_IMAGENET_PATH', 'CM_DATASET_IMAGENET_PATH'])
    if (typeof env[key] === 'string' && env[key].trim() !== '') return env[key].trim();
  return undefined;
}

export async function preprocess(i) {
  const env = i.env;
  const given = givenPath(env);
  if (given !== undefined) {
    const dir = resolve(String(env.CM_TMP_CURRENT_PATH || process.cwd()), given);
    if (!existsSync(dir))
      return {
        return: 16,
        error: `the ImageNet folder ${dir} does not exist (--imagenet_path)`,
        hint: PATH_HINT,
      };
    if (!statSync(dir).isDirectory())
      return {
        return: 1,
        error: `--imagenet_path must name a folder of images, and ${dir} is a file`,
        hint: `extract it first (cm run script "extract file" --input=${dir}), then ${PATH_HINT}`,
      };
    env.CM_DATASET_IMAGENET_VAL_PATH = dir;
    return { return: 0 };
  }
  if (env.CM_IMAGENET_FULL === 'yes')
    return {
      return: 1,
      error:
        'the full ImageNet validation set (50,000 images) cannot be downloaded automatically: image-net.org asks you to sign in and accept its terms',
      hint: `download ILSVRC2012_img_val.tar from image-net.org, extract it, add its val_map.txt, then ${PATH_HINT}`,
    };
  const size = Number(env.CM_DATASET_SIZE || SUBSET);
  if (!(size <= SUBSET))
    return {
      return: 1,
      error: `only the ${SUBSET}-image subset of ImageNet can be downloaded, not ${env.CM_DATASET_SIZE} images`,
      hint: PATH_HINT,
    };
  return downloadSubset(i);
}

/**
 * The subset's archive, extracted into this cache entry by download-and-extract. That run is one
 * of its own (not a dep of this one), so it must not work in this entry, which this run holds:
 * --force_cache gives it an entry of its own (the archive stays there).
 */
async function downloadSubset(i) {
  const env = i.env;
  const here = process.cwd();
  const r = await i.automation.cmind.access({
    action: 'run',
    automation: 'script',
    tags: 'download-and-extract,file,_extract',
    url: env.CM_DAE_URL,
    md5sum: env.CM_DOWNLOAD_CHECKSUM,
    output_file: env.CM_DAE_FILENAME,
    extract_path: here,
    extra_folder: FOLDER,
    ...(env.CM_DOWNLOAD_RETRIES !== undefined ? { retries: env.CM_DOWNLOAD_RETRIES } : {}),
    ...(env.CM_DOWNLOAD_RETRY_WAIT !== undefined ? { retry_wait: env.CM_DOWNLOAD_RETRY_WAIT } : {}),
    force_cache: true,
    quiet: true,
  });
  if (r.return > 0)
    return {
      return: 1,
      error: `cannot get the ${SUBSET}-image ImageNet validation subset: ${r.error}`,
      hint: `to use images you already have instead, ${PATH_HINT}${r.hint ? `\n${r.hint}` : ''}`,
    };
  const extracted = String(r.new_env?.CM_EXTRACT_EXTRACTED_PATH || join(here, FOLDER));
  env.CM_DATASET_IMAGENET_VAL_PATH = existsSync(join(extracted, FOLDER))
    ? join(extracted, FOLDER)
    : extracted;
  return { return: 0 };
}

export async function postprocess(i) {
  const env = i.env;
  const dir = String(env.CM_DATASET_IMAGENET_VAL_PATH);
  const valMap = join(dir, 'val_map.txt');
  let size;
  if (existsSync(valMap)) {
    try {
      const entries = await readValMap(valMap);
      await checkValMapImages(entries, dir, valMap);
      size = entries.length;
    } catch (e) {
      return asResult(e);
    }
    if (size === 0) return { return: 1, error: `${valMap} lists no image`, hint: PATH_HINT };
    env.CM_DATASET_IMAGENET_VAL_MAP = valMap;
  } else if (givenPath(env) !== undefined) {
    return { return: 16, error: `the ImageNet folder ${dir} has no val_map.txt`, hint: PATH_HINT };
  } else {
    // The downloaded subset has images only; the labels come from the aux data set (val.txt).
    size = readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).length;
    if (size === 0) return { return: 1, error: `no ImageNet image (*.JPEG) in ${dir}` };
  }
  env.CM_DATASET_PATH = dir;
  env.CM_DATASET_IMAGENET_PATH = dir;
  env.CM_DATASET_SIZE = String(size);
  env.CM_GET_DEPENDENT_CACHED_PATH = dir;
  return { return: 0 };
}
