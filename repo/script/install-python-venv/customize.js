// install-python-venv: a named venv in the cache entry; its python is registered by get-python3.
import { join } from 'node:path';

export function preprocess(i) {
  const env = i.env;
  const name = String(env.CM_NAME ?? '').trim().toLowerCase();
  if (name && !/^[a-z0-9][a-z0-9._-]*$/.test(name))
    return { return: 1, error: `--name must be a simple name (letters, digits, . _ -), found "${env.CM_NAME}"` };
  // Always named (default "venv"): a plain "get python3" keeps choosing the Python it chose before.
  const dir = name || 'venv';
  const addExtra = [`name-${dir}`];
  env.CM_VIRTUAL_ENV_DIR = dir;
  env.CM_VIRTUAL_ENV_PATH = join(process.cwd(), dir);
  env.CM_VIRTUAL_ENV_SCRIPTS_PATH = join(env.CM_VIRTUAL_ENV_PATH, i.os_info.platform === 'windows' ? 'Scripts' : 'bin');
  // For the register-python post dep: look only in the venv.
  env.CM_TMP_PATH = env.CM_VIRTUAL_ENV_SCRIPTS_PATH;
  env.CM_TMP_FAIL_IF_NOT_FOUND = 'yes';
  const r = i.automation.update_deps({
    deps: i.meta.post_deps,
    update_deps: { 'register-python': { extra_cache_tags: ['virtual', ...addExtra].join(',') } },
  });
  if (r.return > 0) return r;
  env.CM_PYTHON_INSTALLED_PATH = env.CM_VIRTUAL_ENV_SCRIPTS_PATH;
  return { return: 0, add_extra_cache_tags: addExtra };
}

export function postprocess(i) {
  const env = i.env;
  const state = i.state;
  const windows = i.os_info.platform === 'windows';
  const activate = join(env.CM_VIRTUAL_ENV_SCRIPTS_PATH, windows ? 'activate.bat' : 'activate');
  const prefix = Array.isArray(state.script_prefix) ? state.script_prefix : [];
  prefix.push(i.os_info.run_bat.replace('${bat_file}', `"${activate}"`));
  state.script_prefix = prefix;
  env.CM_PYTHON_BIN_WITH_PATH = join(env.CM_PYTHON_INSTALLED_PATH, windows ? 'python.exe' : 'python3');
  return { return: 0 };
}
