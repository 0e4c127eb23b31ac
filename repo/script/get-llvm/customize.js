// get-llvm: find clang (version constraints) and export it as the C/C++ compiler.
import { basename, dirname, join } from 'node:path';
import { findTool, installOrExplain } from '../../automation/script/tool-hooks.js';

export async function preprocess(i) {
  const env = i.env;
  const file = i.os_info.platform === 'windows' ? 'clang.exe' : 'clang';
  env.FILE_NAME_C = file;
  if (env.CM_LLVM_CLANG_BIN_WITH_PATH) return { return: 0 };
  const r = await findTool(i, file, 'CM_LLVM_CLANG_BIN_WITH_PATH');
  if (r.return === 16) {
    const x = await installOrExplain(i, r, 'install,llvm', 'install it (e.g. apt-get install -y clang), or give --path=DIR');
    // Asked for any compiler (get,compiler), not for LLVM: GCC will do.
    const wanted = (i.script_tags ?? []).map(String);
    if (x.return === 16 && !wanted.some((t) => ['llvm', 'clang', 'get-llvm'].includes(t))) {
      i.automation.cmind.logger.info('clang is not installed: using gcc as the compiler');
      return { return: 0, skip: true, script: { tags: 'get,gcc' } };
    }
    return x;
  }
  return r.return > 0 ? r : { return: 0 };
}

export function detect_version(i) {
  const r = i.automation.parse_version({ match_text: 'clang version\\s*([\\d.]+)', group_number: 1, env_key: 'CM_LLVM_CLANG_VERSION', which_env: i.env });
  return r.return > 0 ? r : { return: 0, version: r.version };
}

export function postprocess(i) {
  const env = i.env;
  const r = detect_version(i);
  if (r.return > 0) return r;
  const version = env.CM_LLVM_CLANG_VERSION;
  const file = String(env.CM_LLVM_CLANG_BIN_WITH_PATH);
  const c = basename(file);
  const cpp = c.replace('clang', 'clang++');
  Object.assign(env, {
    CM_LLVM_CLANG_CACHE_TAGS: `version-${version}`,
    CM_COMPILER_CACHE_TAGS: `version-${version},family-llvm`,
    CM_COMPILER_FAMILY: 'LLVM',
    CM_COMPILER_VERSION: version,
    CM_LLVM_CLANG_BIN: c,
    CM_C_COMPILER_BIN: c,
    CM_C_COMPILER_WITH_PATH: file,
    CM_C_COMPILER_FLAG_OUTPUT: '-o ',
    CM_C_COMPILER_FLAG_VERSION: '--version',
    CM_C_COMPILER_FLAG_INCLUDE: '-I',
    CM_CXX_COMPILER_BIN: cpp,
    CM_CXX_COMPILER_WITH_PATH: join(dirname(file), cpp),
    CM_CXX_COMPILER_FLAG_OUTPUT: '-o ',
    CM_CXX_COMPILER_FLAG_VERSION: '--version',
    CM_CXX_COMPILER_FLAG_INCLUDE: '-I',
    CM_COMPILER_FLAGS_FAST: '-O4',
    CM_LINKER_FLAGS_FAST: '-O4',
    CM_COMPILER_FLAGS_DEBUG: '-O0',
    CM_LINKER_FLAGS_DEBUG: '-O0',
    CM_COMPILER_FLAGS_DEFAULT: '-O2',
    CM_LINKER_FLAGS_DEFAULT: '-O2',
    CM_GET_DEPENDENT_CACHED_PATH: file,
  });
  return { return: 0, version };
}
