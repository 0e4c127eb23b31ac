// compile-program: sources and flags for run.sh, from --source or the reference's CM_*_SOURCE_FILES.
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

const CXX = /\.(cc|cpp|cxx|c\+\+|C)$/;
const list = (v) => (Array.isArray(v) ? v.map(String) : String(v ?? '').split(/[,;]/)).map((x) => x.trim()).filter(Boolean);
const join_ = (v) => (Array.isArray(v) ? v.map(String) : []);

export function preprocess(i) {
  const env = i.env;
  const cwd = String(env.CM_TMP_CURRENT_PATH ?? process.cwd());
  // --source: absolute files, each into the C or the C++ list.
  const given = list(env.CM_COMPILE_SOURCES);
  if (given.length) {
    const files = given.map((f) => (isAbsolute(f) ? f : resolve(cwd, f)));
    const missing = files.filter((f) => !existsSync(f));
    if (missing.length) return { return: 16, error: `source file(s) not found: ${missing.join(', ')}` };
    const bad = files.filter((f) => !/\.(c|cc|cpp|cxx|c\+\+|C)$/.test(f));
    if (bad.length) return { return: 1, error: `not a C or C++ source (.c .cc .cpp .cxx): ${bad.join(', ')}` };
    env.CM_SOURCE_FOLDER_PATH = dirname(files[0]);
    env.CM_C_SOURCE_FILES = files.filter((f) => !CXX.test(f)).join(';');
    env.CM_CXX_SOURCE_FILES = files.filter((f) => CXX.test(f)).join(';');
    if (env.CM_CXX_SOURCE_FILES && !env.CM_LINKER_LANG) env.CM_LINKER_LANG = 'CXX';
  }
  if (!env.CM_C_SOURCE_FILES && !env.CM_CXX_SOURCE_FILES)
    return { return: 1, error: 'nothing to compile: give --source=FILE.c (or CM_C_SOURCE_FILES / CM_CXX_SOURCE_FILES)' };
  env.CM_SOURCE_FOLDER_PATH = env.CM_SOURCE_FOLDER_PATH || env.CM_TMP_CURRENT_SCRIPT_PATH || '';

  const cpp = join_(env['+ CPPFLAGS']);
  const extraC = String(env.CM_COMPILE_EXTRA_CFLAGS ?? '');
  env.CM_C_COMPILER_FLAGS = [...join_(env['+ CFLAGS']), ...cpp, extraC].filter(Boolean).join(' ');
  env.CM_CXX_COMPILER_FLAGS = [...join_(env['+ CXXFLAGS']), ...cpp, extraC].filter(Boolean).join(' ');
  env.CM_F_COMPILER_FLAGS = join_(env['+ FFLAGS']).join(' ');
  const cpath = join_(env['+CPATH']);
  const inc = (k) => [...join_(env[k]), ...cpath].map((d) => `-I${d}`).join(' ');
  env.CM_C_INCLUDE_PATH = inc('+C_INCLUDE_PATH');
  env.CM_CPLUS_INCLUDE_PATH = inc('+CPLUS_INCLUDE_PATH');
  env.CM_F_INCLUDE_PATH = inc('+F_INCLUDE_PATH');
  if (i.os_info.platform === 'windows' && env.CM_COMPILER_FAMILY !== 'LLVM')
    i.automation.cmind.logger.warning('compile-program: flags for non-LLVM compilers on Windows are not written (untested)');
  const ld = join_(env['+ LDFLAGS']);
  const extraL = String(env.CM_COMPILE_EXTRA_LDFLAGS ?? '');
  env.CM_C_LINKER_FLAGS = [...join_(env['+ LDCFLAGS']), ...ld, extraL].filter(Boolean).join(' ');
  env.CM_CXX_LINKER_FLAGS = [...join_(env['+ LDCXXFLAGS']), ...ld, extraL].filter(Boolean).join(' ');
  env.CM_F_LINKER_FLAGS = [...join_(env['+ LDFFLAGS']), ...ld, extraL].filter(Boolean).join(' ');
  const lang = env.CM_LINKER_LANG || 'C';
  const x = lang === 'CXX' ? 'CXX' : lang === 'F' ? 'F' : 'C';
  env.CM_LINKER_BIN = env[`CM_${x}_COMPILER_BIN`];
  env.CM_LINKER_WITH_PATH = env[`CM_${x}_COMPILER_WITH_PATH`];
  env.CM_LINKER_COMPILE_FLAGS = env[`CM_${x}_COMPILER_FLAGS`];
  env.CM_LINKER_FLAGS = env[`CM_${x}_LINKER_FLAGS`];
  if (!env.CM_LINKER_WITH_PATH) return { return: 1, error: `no ${x} compiler was found (CM_${x}_COMPILER_WITH_PATH is empty)` };
  env.CM_LD_LIBRARY_PATH = join_(env['+LD_LIBRARY_PATH']).map((d) => `-L${d}`).join(' ');
  // run.sh reads these one per line, so that folders with spaces stay one argument each.
  env.CM_TMP_C_INCLUDE_DIRS = [...join_(env['+C_INCLUDE_PATH']), ...cpath].join('\n');
  env.CM_TMP_CXX_INCLUDE_DIRS = [...join_(env['+CPLUS_INCLUDE_PATH']), ...cpath].join('\n');
  env.CM_TMP_LIB_DIRS = join_(env['+LD_LIBRARY_PATH']).join('\n');
  const runDir = env.CM_RUN_DIR ? resolve(cwd, String(env.CM_RUN_DIR)) : process.cwd();
  const bin = String(env.CM_BIN_NAME || (i.os_info.platform === 'windows' ? 'run.exe' : 'run.out'));
  if (bin.includes('/') || bin === '..') return { return: 1, error: `--output must be a file name (found "${bin}"); choose the folder with --run_dir` };
  env.CM_TMP_COMPILE_OUTPUT = join(runDir, bin);
  return { return: 0 };
}

export function postprocess(i) {
  const env = i.env;
  const out = String(env.CM_TMP_COMPILE_OUTPUT);
  if (!existsSync(out)) return { return: 1, error: `the compiler left no program at ${out}` };
  env.CM_COMPILED_PROGRAM_WITH_PATH = out;
  i.automation.cmind.logger.info(`Compiled ${basename(out)} with ${env.CM_LINKER_BIN}: ${out}`);
  return { return: 0 };
}
