// get-cuda: find nvcc (or libcudart), the toolkit root behind it, the driver and the GPUs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { findTool, installOrExplain } from '../../automation/script/tool-hooks.js';

const UNIX_PLACES = ['/usr/local/cuda/bin', '/usr/cuda/bin', '/usr/local/cuda-12/bin', '/usr/cuda-12/bin', '/usr/local/cuda-11/bin', '/usr/cuda-11/bin', '/usr/local/packages/cuda'];

export async function preprocess(i) {
  const env = i.env;
  const windows = i.os_info.platform === 'windows';
  if (String(env.CUDA_SKIP_SUDO ?? '').toLowerCase() === 'true') env.CM_SUDO = '';
  const full = env.CM_CUDA_FULL_TOOLKIT_INSTALL !== 'no';
  const file = windows ? env.CM_TMP_FILE_TO_CHECK_WINDOWS : env.CM_TMP_FILE_TO_CHECK_UNIX;
  // CUDA is often not on PATH: also look in its usual places (unless --path or --input says where).
  if (!env.CM_INPUT && !env.CM_TMP_PATH) {
    let places = UNIX_PLACES;
    if (windows) {
      places = [];
      for (const root of ['C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA', 'C:\\Program Files (x86)\\NVIDIA GPU Computing Toolkit\\CUDA'])
        if (existsSync(root)) for (const d of readdirSync(root)) places.push(join(root, d, 'bin'));
    } else if (!full) places = ['/usr/local/cuda/lib64', '/usr/local/cuda/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib64'];
    const base = full ? process.env.PATH : process.env.LD_LIBRARY_PATH;
    env.CM_TMP_PATH = [...String(base ?? '').split(delimiter).filter(Boolean), ...places].join(delimiter);
    env.CM_TMP_PATH_IGNORE_NON_EXISTANT = 'yes';
  }
  const key = full ? 'CM_NVCC_BIN_WITH_PATH' : 'CM_CUDA_RT_WITH_PATH';
  env.CM_TMP_ENV_KEY = key;
  if (env[key]) return { return: 0 };
  const r = await findTool(i, file, key, { default_path_env_key: full ? 'PATH' : 'LD_LIBRARY_PATH' });
  if (r.return === 16 && full && !windows)
    return installOrExplain(i, r, 'install,cuda,prebuilt', 'install the CUDA toolkit (e.g. apt-get install -y nvidia-cuda-toolkit) or give --path=/usr/local/cuda-X/bin', 'no CUDA toolkit found');
  return r.return > 0 ? r : { return: 0 };
}

export function detect_version(i) {
  const env = i.env;
  if (env.CM_CUDA_FULL_TOOLKIT_INSTALL !== 'no') {
    const r = i.automation.parse_version({ match_text: 'release\\s*([\\d.]+)', group_number: 1, env_key: 'CM_CUDA_VERSION', which_env: env });
    return r.return > 0 ? r : { return: 0, version: r.version };
  }
  // _lib-only: version.json next to the library's folder.
  let version = 'version-missing';
  const json = join(dirname(dirname(String(env.CM_CUDA_RT_WITH_PATH))), 'version.json');
  if (existsSync(json)) {
    try {
      version = JSON.parse(readFileSync(json, 'utf8'))?.cuda_cudart?.version ?? version;
    } catch {
      // kept as missing
    }
  }
  env.CM_CUDA_VERSION = version;
  return { return: 0, version };
}

/** The toolkit's bin folder behind nvcc (a wrapper script such as /usr/local/bin/nvcc included). */
function nvccHome(nvcc) {
  const r = spawnSync(nvcc, ['--dryrun', '-c', '-x', 'cu', '/dev/null', '-o', '/dev/null'], { encoding: 'utf8', timeout: 30_000 });
  const m = /_HERE_=(.+)/.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return m && existsSync(m[1].trim()) ? m[1].trim() : dirname(nvcc);
}

/** Driver and GPUs from nvidia-smi; undefined without a driver. */
function gpus() {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version,compute_cap', '--format=csv,noheader'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error || r.status !== 0) return { error: r.error ? 'nvidia-smi is not installed' : `nvidia-smi failed: ${String(r.stderr || r.stdout).trim().split('\n')[0]}` };
  const list = r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(',').map((x) => x.trim()));
  return { list };
}

export function postprocess(i) {
  const env = i.env;
  const windows = i.os_info.platform === 'windows';
  const r = detect_version(i);
  if (r.return > 0) return r;
  const version = r.version;
  env.CM_CUDA_CACHE_TAGS = `version-${version}`;
  const found = String(env[env.CM_TMP_ENV_KEY]);
  let home;
  if (env.CM_CUDA_FULL_TOOLKIT_INSTALL !== 'no') {
    const bin = windows ? dirname(found) : nvccHome(found);
    env.CM_CUDA_PATH_BIN = bin;
    home = dirname(bin);
    env.CM_CUDA_INSTALLED_PATH = home;
    env.CM_NVCC_BIN = basename(found);
  } else {
    env.CM_CUDA_PATH_LIB = dirname(found);
    for (let p = dirname(dirname(found)); p !== dirname(p); p = dirname(p))
      if (existsSync(join(p, 'include'))) {
        home = p;
        env.CM_CUDA_INSTALLED_PATH = p;
        break;
      }
  }
  if (!home) return { return: 1, error: `no CUDA installation folder with an include folder was found above ${found}` };
  env.CUDA_HOME = home;
  env.CUDA_PATH = home;
  const onPath = String(process.env.PATH ?? '').split(delimiter).includes(join(home, 'bin'));
  for (const k of ['+C_INCLUDE_PATH', '+CPLUS_INCLUDE_PATH', '+LD_LIBRARY_PATH', '+DYLD_FALLBACK_LIBRARY_PATH']) env[k] = [];
  const inc = join(home, 'include');
  if (existsSync(inc) && statSync(inc).isDirectory()) {
    if (!windows && !onPath) {
      env['+C_INCLUDE_PATH'].push(inc);
      env['+CPLUS_INCLUDE_PATH'].push(inc);
    }
    env.CM_CUDA_PATH_INCLUDE = inc;
  }
  for (const d of ['lib64', 'lib']) {
    const lib = windows ? join(home, d, 'x64') : join(home, d);
    if (!existsSync(lib)) continue;
    if (!onPath) {
      env['+LD_LIBRARY_PATH'].push(lib);
      env['+DYLD_FALLBACK_LIBRARY_PATH'].push(lib);
    }
    env.CM_CUDA_PATH_LIB = lib;
    break;
  }
  if (!Array.isArray(env['+ LDFLAGS'])) env['+ LDFLAGS'] = [];
  if (env.CM_CUDA_PATH_LIB && !onPath) env['+ LDFLAGS'].push(`-L${env.CM_CUDA_PATH_LIB}`);
  env.CM_CUDA_VERSION_STRING = `cu${String(env.CM_CUDA_VERSION).replace(/\./g, '')}`;
  env.CM_MLPERF_SUT_NAME_RUN_CONFIG_SUFFIX5 = env.CM_CUDA_VERSION_STRING;

  // Ours: the driver and the GPUs (compute capability), where a driver is installed.
  const g = gpus();
  if (g.list && g.list.length > 0) {
    env.CM_CUDA_NUM_DEVICES = String(g.list.length);
    env.CM_CUDA_DEVICE_NAME = g.list[0][0];
    env.CM_CUDA_DRIVER_VERSION = g.list[0][1];
    env.CM_CUDA_COMPUTE_CAPABILITY = g.list[0][2];
    env.CM_CUDA_COMPUTE_CAPABILITIES = [...new Set(g.list.map((x) => x[2]))].join(',');
  } else {
    env.CM_CUDA_NUM_DEVICES = '0';
    i.automation.cmind.logger.warning(`no NVIDIA driver or GPU here (${g.error ?? 'nvidia-smi lists no GPU'}): CUDA programs can be built but not run`);
  }
  return { return: 0, version };
}
