// get-git-repo: normalise the inputs into a clone plan for run.sh and export the checkout.
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';

const keyOf = (env) => {
  const k = String(env.CM_GIT_ENV_KEY ?? '');
  return k !== '' && !k.startsWith('_') ? `_${k}` : k;
};

function setRepo(env, name, value) {
  env[`CM_GIT_REPO_${name}`] = value;
  const k = keyOf(env);
  if (k) env[`CM_GIT_REPO${k}_${name}`] = value;
}

export function preprocess(i) {
  const env = i.env;
  const url = String(env.CM_GIT_URL ?? '');
  if (!url) return { return: 1, error: 'no repository to clone: give --url=URL (or _repo.URL)' };
  const folder = String(env.CM_GIT_CHECKOUT_FOLDER || 'repo');
  if (folder.includes('/') || folder === '..' || folder === '.')
    return { return: 1, error: `--folder must be a plain folder name (found "${folder}")` };
  if (!env.CM_GIT_REPO_NAME) setRepo(env, 'NAME', basename(url.replace(/\/+$/, '')));

  // --depth=N is a number; the reference's form "--depth N" and "" (full history) work too.
  let depth = String(env.CM_GIT_DEPTH ?? '').trim();
  if (/^\d+$/.test(depth)) depth = `--depth ${depth}`;
  if (depth !== '' && !/^--depth \d+$/.test(depth)) return { return: 1, error: `--depth must be a number (found "${env.CM_GIT_DEPTH}")` };
  // An exact commit may be older than a shallow clone reaches.
  if (env.CM_GIT_SHA) depth = '';
  // Keys mapped from inputs are consts (they win over a hook's change): the normalised values
  // for run.sh go into CM_TMP_GIT_* keys.
  env.CM_TMP_GIT_DEPTH = depth;
  const sub = String(env.CM_GIT_RECURSE_SUBMODULES ?? '').trim().toLowerCase();
  env.CM_TMP_GIT_RECURSE = ['', 'no', 'false', 'off', '0'].includes(sub) ? '' : 'yes';

  if (!env.CM_GIT_CHECKOUT) env.CM_GIT_CHECKOUT = env.CM_GIT_SHA || env.CM_GIT_BRANCH || '';
  // What `git clone -b` takes: a branch or a tag (never a sha).
  env.CM_GIT_CLONE_REF = env.CM_GIT_SHA ? '' : env.CM_GIT_CHECKOUT_TAG || env.CM_GIT_CHECKOUT || '';

  // Patch files are named relative to where cm was run (run.sh runs in the cache entry).
  const files = String(env.CM_GIT_PATCH_FILEPATHS ?? '').split(/[,\s]+/).filter(Boolean);
  if (files.length) {
    const cwd = String(env.CM_TMP_CURRENT_PATH ?? process.cwd());
    const abs = files.map((f) => (isAbsolute(f) ? f : resolve(cwd, f)));
    const missing = abs.filter((f) => !existsSync(f));
    if (missing.length) return { return: 16, error: `patch file(s) not found: ${missing.join(', ')}` };
    env.CM_TMP_GIT_PATCHES = abs.join(',');
  } else if (env.CM_GIT_PATCH === 'yes' && env.CM_GIT_PATCH_FILEPATHS === undefined) {
    return { return: 1, error: '--patch=yes (or _patch) needs --patch_files=a.patch,b.patch' };
  }
  // An existing folder of that name is replaced only when it is an earlier clone of ours.
  const target = join(process.cwd(), folder);
  if (existsSync(target) && !existsSync(join(target, '.git', 'cm-get-git-repo')))
    return { return: 1, error: `${target} already exists and was not cloned by get-git-repo: it is left as it is`, hint: 'clone into another folder with --folder=NAME, or run in another folder' };
  return { return: 0 };
}

export function postprocess(i) {
  const env = i.env;
  const path = join(process.cwd(), String(env.CM_GIT_CHECKOUT_FOLDER || 'repo'));
  env.CM_GIT_CHECKOUT_PATH = path;
  setRepo(env, 'CHECKOUT_PATH', path);
  setRepo(env, 'URL', env.CM_GIT_URL);
  setRepo(env, 'CHECKOUT', env.CM_GIT_CHECKOUT);
  setRepo(env, 'DEPTH', env.CM_GIT_DEPTH);
  setRepo(env, 'CHECKOUT_FOLDER', env.CM_GIT_CHECKOUT_FOLDER);
  setRepo(env, 'PATCH', env.CM_GIT_PATCH);
  setRepo(env, 'RECURSE_SUBMODULES', env.CM_GIT_RECURSE_SUBMODULES);
  if (env.CM_GIT_CHECKOUT_PATH_ENV_NAME) env[env.CM_GIT_CHECKOUT_PATH_ENV_NAME] = path;
  env.CM_GET_DEPENDENT_CACHED_PATH = path;
  if (existsSync('tmp-cm-git-hash.out')) env.CM_GIT_REPO_CURRENT_HASH = readFileSync('tmp-cm-git-hash.out', 'utf8').split('\n')[0].trim();
  return { return: 0 };
}
