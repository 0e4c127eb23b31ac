// get-compiler-flags: optimisation flags by mode, and the compiler's system include folders.
import { spawnSync } from 'node:child_process';

const on = (v) => ['yes', 'on', '1'].includes(String(v ?? ''));

export function preprocess(i) {
  const env = i.env;
  for (const k of ['+ CFLAGS', '+ CXXFLAGS', '+ FFLAGS', '+ LDFLAGS']) env[k] = [];
  if (i.os_info.platform === 'windows') return { return: 0 };
  const mode = on(env.CM_FAST_COMPILATION) ? 'FAST' : on(env.CM_DEBUG_COMPILATION) ? 'DEBUG' : 'DEFAULT';
  const dflt = { FAST: '-O3', DEBUG: '-O0', DEFAULT: '-O2' }[mode];
  const cflags = String(env[`CM_COMPILER_FLAGS_${mode}`] ?? dflt).split(' ').filter(Boolean);
  const lflags = String(env[`CM_LINKER_FLAGS_${mode}`] ?? dflt).split(' ').filter(Boolean);
  for (const k of ['+ CFLAGS', '+ CXXFLAGS', '+ FFLAGS']) env[k] = [...new Set(cflags)];
  env['+ LDFLAGS'] = [...new Set(lflags)];
  // The preprocessor's "#include <...> search starts here:" list.
  const cpp = spawnSync('cpp', ['-v', '/dev/null', '-o', '/dev/null'], { encoding: 'utf8' });
  const text = `${cpp.stdout ?? ''}${cpp.stderr ?? ''}`;
  const dirs = [];
  let inList = false;
  for (const line of text.split('\n')) {
    if (!inList) {
      inList = line.includes('> search starts here');
      continue;
    }
    if (line.includes('End of search list')) break;
    if (line.includes('search starts here')) continue;
    if (!line.includes('gcc')) dirs.push(line.trim());
  }
  env['+CM_HOST_OS_DEFAULT_INCLUDE_PATH'] = dirs;
  return { return: 0 };
}
