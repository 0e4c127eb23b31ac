// get-gcc: find gcc (version constraints) and export it as the C/C++ compiler.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { findTool, withHint } from '../../automation/script/tool-hooks.js';

export async function preprocess(i) {
  const env = i.env;
  if (env.CM_HOST_OS_FLAVOR === 'rhel' && /12/.test(`${env.CM_VERSION ?? ''}${env.CM_VERSION_MIN ?? ''}`)) {
    env.CM_TMP_PATH = `${env.CM_TMP_PATH ?? ''}/opt/rh/gcc-toolset-12/root/usr/bin`;
    env.CM_TMP_PATH_IGNORE_NON_EXISTANT = 'yes';
  }
  if (env.CM_GCC_BIN_WITH_PATH) return { return: 0 };
  const r = await findTool(i, i.os_info.platform === 'windows' ? 'gcc.exe' : 'gcc', 'CM_GCC_BIN_WITH_PATH');
  if (r.return === 16) r.hint = withHint(r, 'install it (e.g. apt-get install -y gcc g++, or cm run script "get generic-sys-util _gcc-12"), or give --path=DIR');
  return r;
}

export function detect_version(i) {
  const r = i.automation.parse_version({ match_text: ' \\(.*\\)\\s*([\\d.]+)', group_number: 1, env_key: 'CM_GCC_VERSION', which_env: i.env });
  if (r.return > 0) {
    // macOS: "gcc" is clang; marked incompatible so that find_artifact skips it.
    if (/clang/.test(readFileSync('tmp-ver.out', 'utf8'))) return { return: 0, version: '-1' };
    return r;
  }
  return { return: 0, version: r.version };
}

export function postprocess(i) {
  const env = i.env;
  const r = detect_version(i);
  if (r.return > 0) return r;
  const version = r.version;
  const file = String(env.CM_GCC_BIN_WITH_PATH);
  const dir = dirname(file);
  const c = basename(file);
  const cpp = c.replace('gcc', 'g++');
  Object.assign(env, {
    CM_COMPILER_FAMILY: 'GCC',
    CM_COMPILER_VERSION: env.CM_GCC_VERSION,
    CM_GCC_CACHE_TAGS: `version-${version}`,
    CM_COMPILER_CACHE_TAGS: `version-${version},family-gcc`,
    CM_GCC_INSTALLED_PATH: dir,
    FILE_NAME_CPP: cpp,
    CM_GCC_BIN: c,
    CM_C_COMPILER_BIN: c,
    CM_C_COMPILER_FLAG_OUTPUT: '-o ',
    CM_C_COMPILER_WITH_PATH: file,
    CM_C_COMPILER_FLAG_VERSION: '--version',
    CM_CXX_COMPILER_BIN: cpp,
    CM_CXX_COMPILER_WITH_PATH: join(dir, cpp),
    CM_CXX_COMPILER_FLAG_OUTPUT: '-o ',
    CM_CXX_COMPILER_FLAG_VERSION: '--version',
    CM_COMPILER_FLAGS_FAST: '-O3',
    CM_LINKER_FLAGS_FAST: '-O3',
    CM_COMPILER_FLAGS_DEBUG: '-O0',
    CM_LINKER_FLAGS_DEBUG: '-O0',
    CM_COMPILER_FLAGS_DEFAULT: '-O2',
    CM_LINKER_FLAGS_DEFAULT: '-O2',
  });
  return { return: 0, version };
}
