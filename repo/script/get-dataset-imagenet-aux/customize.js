// get-dataset-imagenet-aux: the caffe_ilsvrc12 auxiliary files (val.txt labels the validation
// images), from --aux_path or downloaded and extracted into this cache entry. Each source has its
// own md5 (the two archives differ), so the second source is a second attempt, not a mirror.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const HINT =
  'give a folder that holds the ImageNet auxiliary files (val.txt "<image> <label>" per line): --aux_path=DIR';

/** The folder the user gave, checked. */
function givenFolder(env) {
  const dir = resolve(String(env.CM_TMP_CURRENT_PATH || process.cwd()), env.CM_IMAGENET_AUX_PATH);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return { error: { return: 16, error: `the ImageNet auxiliary folder ${dir} does not exist (--aux_path)`, hint: HINT } };
  if (!existsSync(join(dir, 'val.txt')))
    return { error: { return: 16, error: `the ImageNet auxiliary folder ${dir} has no val.txt`, hint: HINT } };
  return { dir };
}

/** One source: the archive downloaded with its md5 and extracted here. */
function fetchFrom(i, url, md5sum, here) {
  const env = i.env;
  return i.automation.cmind.access({
    action: 'run',
    automation: 'script',
    tags: 'download-and-extract,file,_extract',
    url,
    ...(md5sum ? { md5sum } : {}),
    extract_path: here,
    ...(env.CM_VERIFY_SSL ? { verify: env.CM_VERIFY_SSL } : {}),
    ...(env.CM_DOWNLOAD_RETRIES !== undefined ? { retries: env.CM_DOWNLOAD_RETRIES } : {}),
    ...(env.CM_DOWNLOAD_RETRY_WAIT !== undefined ? { retry_wait: env.CM_DOWNLOAD_RETRY_WAIT } : {}),
    force_cache: true,
    quiet: true,
  });
}

export async function preprocess(i) {
  const env = i.env;
  if (env.CM_IMAGENET_AUX_PATH) {
    const { dir, error } = givenFolder(env);
    if (error) return error;
    env.CM_DATASET_AUX_PATH = dir;
    return { return: 0 };
  }
  const here = process.cwd();
  const sources = [
    [env.CM_PACKAGE_URL, env.CM_DOWNLOAD_CHECKSUM],
    [env.CM_PACKAGE_URL1, env.CM_DOWNLOAD_CHECKSUM1],
  ].filter(([url]) => url);
  const failures = [];
  for (const [url, md5sum] of sources) {
    const r = await fetchFrom(i, url, md5sum, here);
    if (r.return === 0) {
      env.CM_DATASET_AUX_PATH = String(r.new_env?.CM_EXTRACT_EXTRACTED_PATH || here);
      return { return: 0 };
    }
    failures.push(`${url}: ${r.error}`);
  }
  return {
    return: 1,
    error: `cannot get the ImageNet auxiliary files:\n  ${failures.join('\n  ')}`,
    hint: HINT,
  };
}

export async function postprocess(i) {
  const env = i.env;
  if (!existsSync(join(env.CM_DATASET_AUX_PATH, 'val.txt')))
    return { return: 1, error: `${env.CM_DATASET_AUX_PATH} has no val.txt after extraction`, hint: HINT };
  return { return: 0 };
}
