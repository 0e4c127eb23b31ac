// download-and-extract: the work is done by its download-file and extract-file deps.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export function preprocess(i) {
  const env = i.env;
  if (i.input.force_cache) {
    const extra = i.input.extra_cache_tags ?? '';
    const r = i.automation.update_deps({
      deps: [...(i.meta.prehook_deps ?? []), ...(i.meta.posthook_deps ?? [])],
      update_deps: {
        'download-script': { extra_cache_tags: extra, force_cache: true },
        'extract-script': { extra_cache_tags: extra, force_cache: true },
      },
    });
    if (r.return > 0) return r;
  }
  if (env.CM_DOWNLOAD_LOCAL_FILE_PATH) {
    if (!existsSync(resolve(String(env.CM_TMP_CURRENT_PATH || process.cwd()), String(env.CM_DOWNLOAD_LOCAL_FILE_PATH))))
      return { return: 16, error: `local file ${env.CM_DOWNLOAD_LOCAL_FILE_PATH} does not exist (--local_path)` };
    env.CM_EXTRACT_REMOVE_EXTRACTED = 'no';
  } else if (!env.CM_DAE_URL) {
    return { return: 1, error: 'no URL to download: give --url=URL (or _url.URL)' };
  }
  if (/^(yes|1|true)$/i.test(String(env.CM_DAE_EXTRACT_DOWNLOADED ?? '')) && !env.CM_EXTRACT_FINAL_ENV_NAME && env.CM_DAE_FINAL_ENV_NAME)
    env.CM_EXTRACT_FINAL_ENV_NAME = env.CM_DAE_FINAL_ENV_NAME;
  return { return: 0 };
}

export function postprocess(i) {
  const env = i.env;
  const path = env.CM_EXTRACT_EXTRACTED_PATH || env.CM_DOWNLOAD_DOWNLOADED_PATH || '';
  if (!path) return { return: 1, error: 'neither CM_EXTRACT_EXTRACTED_PATH nor CM_DOWNLOAD_DOWNLOADED_PATH was set by the deps' };
  if (!existsSync(path)) return { return: 1, error: `the result path ${path} does not exist` };
  if (env.CM_DAE_FINAL_ENV_NAME) env[env.CM_DAE_FINAL_ENV_NAME] = path;
  env.CM_GET_DEPENDENT_CACHED_PATH = path;
  return { return: 0 };
}
