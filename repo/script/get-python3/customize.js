// get-python3: find python3 on PATH (every candidate, version constraints), then describe it.
import { basename, dirname, join } from 'node:path';
import { findTool, installOrExplain } from '../../automation/script/tool-hooks.js';

export async function preprocess(i) {
  const env = i.env;
  if (env.CM_PYTHON_CONDA === 'yes' && env.CM_CONDA_BIN_PATH) env.CM_PYTHON_BIN_WITH_PATH = join(env.CM_CONDA_BIN_PATH, 'python');
  if (env.CM_PYTHON_BIN_WITH_PATH) return { return: 0 };
  const windows = i.os_info.platform === 'windows';
  const r = await findTool(i, windows ? 'python.exe' : 'python3', 'CM_PYTHON_BIN_WITH_PATH', {
    extra_paths: { include: '+C_INCLUDE_PATH', lib: '+LD_LIBRARY_PATH' },
  });
  if (r.return === 0) return { return: 0 };
  if (r.return !== 16 || windows) return r;
  // Not found: build it from sources when a script can (e.g. cm4mlops' install-python-src).
  return installOrExplain(
    i,
    r,
    'install,python,src',
    'install it (e.g. apt-get install -y python3), add its folder with --path=DIR, or name it with --input=/path/to/python3',
    'no Python 3 meets the request and no script installs one',
  );
}

export function detect_version(i) {
  const r = i.automation.parse_version({ match_text: 'Python\\s*([\\d.]+)', group_number: 1, env_key: 'CM_PYTHON_VERSION', which_env: i.env });
  if (r.return > 0) return r;
  return { return: 0, version: r.version };
}

export function postprocess(i) {
  const env = i.env;
  const r = detect_version(i);
  if (r.return > 0) return r;
  const version = r.version;
  const file = String(env.CM_PYTHON_BIN_WITH_PATH);
  env.CM_PYTHON_BIN = basename(file);
  env.CM_PYTHON_BIN_PATH = dirname(file);
  const extra = String(env.CM_EXTRA_CACHE_TAGS ?? '');
  const fromVirtual = extra.split(',').includes('virtual');
  const tags = [`version-${version}`, ...(extra ? [extra] : []), ...(fromVirtual ? [] : ['non-virtual'])].join(',');
  env.CM_PYTHON_CACHE_TAGS = tags;
  // A venv's activate script sets PATH; its interpreter's libraries stay where they are.
  if (fromVirtual) delete env['+PATH'];
  else if (i.os_info.platform === 'windows') {
    const scripts = join(dirname(file), 'Scripts');
    const defaults = i.automation.get_default_path_list(i);
    const paths = Array.isArray(env['+PATH']) ? env['+PATH'] : [];
    if (!defaults.includes(scripts) && !paths.includes(scripts)) env['+PATH'] = [...paths, scripts];
  }
  const [major, minor, patch] = version.split('.');
  env.CM_PYTHON_MAJOR_VERSION = major;
  env.CM_PYTHON_MINOR_VERSION = minor ?? '';
  if (patch !== undefined) env.CM_PYTHON_PATCH_VERSION = patch;
  return { return: 0, version, add_extra_cache_tags: tags.split(',') };
}
