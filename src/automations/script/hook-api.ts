// `i.automation` inside hooks: the methods published scripts call (spec §11.4), with the same
// inputs and CM result dicts. Methods that run processes return promises.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import { clone, isDict, type Dict } from '../../core/merge.js';
import { envString, mergeEnv, type Env } from '../../core/script/env.js';
import { updateDeps } from '../../core/script/deps.js';
import { versionViolation } from '../../core/script/versions.js';
import { describeVariations } from '../../core/script/variations.js';
import { pythonRegExp } from '../../core/script/python-regexp.js';
import { userCm } from '../user-module.js';
import { constraintsOf, findMethods } from './find-artifact.js';
import { chooseNativeScript, executeNative, lastLines } from './native.js';
import type { RunShared } from './run-shared.js';

export interface HookScope {
  scriptDir: string;
  env: Env;
  state: Dict;
  meta: Dict;
  constEnv: Env;
  workDir: () => string;
  detectVersion: (env: Env) => Promise<Dict | undefined>;
  /** The script's env prefix: CM_ or MLC_. */
  prefix: string;
}

/** Read `file` in `dir` and match `match_text`; sets which_env[env_key] and CM_DETECTED_VERSION
 *  (with the script's prefix). */
export function parseVersionFile(i: Dict, dir: string, prefix = 'CM_'): Dict {
  const file = resolve(dir, typeof i['file_name'] === 'string' ? i['file_name'] : 'tmp-ver.out');
  if (!existsSync(file)) return { return: 1, error: `can't find the version file ${file}` };
  const text = readFileSync(file, 'utf8');
  let re: RegExp;
  try {
    // As Python's re.search (hooks of both languages write match_text for it): ^ and $ anchor
    // at the text's ends, not at each line, and (?P<name>...) groups work.
    re = pythonRegExp(String(i['match_text'] ?? ''));
  } catch (e) {
    return { return: 1, error: `bad match_text regex: ${(e as Error).message}` };
  }
  const m = re.exec(text);
  const group =
    typeof i['group_number'] === 'number' ? i['group_number'] : Number(i['group_number'] ?? 1);
  const version = m ? m[group] : undefined;
  if (version === undefined)
    return {
      return: 1,
      error: `version was not detected in ${file} (regex ${String(i['match_text'])}); it holds: ${lastLines(text, 5)}`,
    };
  const which = isDict(i['which_env']) ? i['which_env'] : {};
  if (typeof i['env_key'] === 'string') which[i['env_key']] = version;
  which[`${prefix}DETECTED_VERSION`] = version;
  return { return: 0, version, string: m ? m[0] : '' };
}

/** run_native_script and detect_version_using_script: the script's native scripts, run now. */
function nativeMethods(
  shared: RunShared,
  scope: HookScope,
): Record<string, (i: Dict) => Promise<Dict>> {
  const P = scope.prefix;
  async function runNative(i: Dict): Promise<Dict> {
    const env = isDict(i['env']) ? i['env'] : scope.env;
    const rsi = isDict(i['run_script_input']) ? i['run_script_input'] : {};
    const dir = typeof rsi['path'] === 'string' ? rsi['path'] : scope.scriptDir;
    const name = typeof i['script_name'] === 'string' ? i['script_name'] : 'run';
    const script = chooseNativeScript(dir, name, env, shared.os, P);
    if (!script)
      return { return: 16, error: `script "${name}${shared.os.bat_ext}" not found in ${dir}` };
    const workDir = scope.workDir();
    const r = await executeNative({
      workDir,
      script,
      scriptDir: scope.scriptDir,
      env: { ...env, ...clone(scope.constEnv) },
      state: scope.state,
      os: shared.os,
      processEnv: shared.ctx.env,
      known: shared.ctx.secrets,
      emit: shared.ctx.emit,
      prefix: P,
    });
    if (r.exitCode !== 0)
      return {
        return: 2,
        error: `Native script failed (script = ${script}, exit status = ${r.exitCode})\n${lastLines(r.tail)}`,
        exit_status: r.exitCode,
      };
    mergeEnv(env, r.envOut);
    if (i['detect_version'] === true) {
      // As the reference: a failed detect_version() is this call's result, not an exception
      // (detect_version_using_script turns it into 16, "not found").
      let d: Dict | undefined;
      try {
        d = await scope.detectVersion(env);
      } catch (e) {
        if (!(e instanceof CmError) || e.code !== 'hook-failed') throw e;
        const result = isDict(e.details) && isDict(e.details['result']) ? e.details['result'] : {};
        return { return: e.returnCode, error: String(result['error'] ?? e.message) };
      }
      if (d) return { return: 0, ...d, env_tmp: r.envOut };
    }
    return { return: 0, env_tmp: r.envOut };
  }

  return {
    run_native_script: runNative,
    detect_version_using_script: async (i: Dict) => {
      const env = isDict(i['env']) ? i['env'] : scope.env;
      const r = await runNative({ ...i, env, detect_version: true });
      if (r['return'] !== 0) return { return: 16, error: String(r['error']) };
      const v =
        typeof r['version'] === 'string'
          ? r['version']
          : envString(env[`${P}DETECTED_VERSION`] ?? '');
      const bad = versionViolation(v, constraintsOf(env, P));
      if (bad) return { return: 16, error: bad };
      return { return: 0, detected_version: v };
    },
  };
}

/** update_deps, parse_version, clean_some_tmp_files, _available_variations: no process runs. */
function metaMethods(scope: HookScope): Record<string, (i: Dict) => Dict> {
  const P = scope.prefix;
  return {
    parse_version: (i: Dict) => parseVersionFile(i, scope.workDir(), P),
    update_deps: (i: Dict) => {
      const deps = Array.isArray(i['deps']) ? (i['deps'] as Dict[]) : [];
      updateDeps(
        [deps],
        isDict(i['update_deps']) ? i['update_deps'] : {},
        isDict(i['env']) ? i['env'] : scope.env,
        false,
      );
      return { return: 0 };
    },
    clean_some_tmp_files: (i: Dict) => {
      const env = isDict(i['env']) ? i['env'] : scope.env;
      const dir = envString(env[`${P}TMP_CURRENT_SCRIPT_WORK_PATH`] ?? scope.workDir());
      for (const f of ['tmp-run.bat', 'tmp-state.json']) rmSync(join(dir, f), { force: true });
      return { return: 0 };
    },
    _available_variations: (i: Dict) => {
      const meta = isDict(i['meta']) ? i['meta'] : scope.meta;
      const v = isDict(meta['variations']) ? meta['variations'] : {};
      return {
        return: 1,
        error: `python package variation is not defined in "${String(meta['alias'])}". Available: ${describeVariations(v)}`,
      };
    },
  };
}

/**
 * `i.automation` of a hook of this run: one implementation of each method for JS hooks (called
 * directly) and Python hooks (called back from the worker, python-hooks.ts).
 */
export function scriptAutomationApi(shared: RunShared, scope: HookScope): Dict {
  const native = nativeMethods(shared, scope);
  return {
    // Calls from hooks run in the hook's working folder, as os.getcwd() in the reference; a script
    // run started there shares the folders this run holds (it would wait for itself otherwise).
    cmind: userCm(shared.ctx, () => scope.workDir(), shared.heldFolders),
    /** Which env prefix the script's hooks use (the Python worker's helpers need it). */
    env_prefix: scope.prefix,
    ...metaMethods(scope),
    ...native,
    ...findMethods({
      env: scope.env,
      prefix: scope.prefix,
      workDir: scope.workDir,
      processEnv: shared.ctx.env,
      detect: native['run_native_script']!,
    }),
  };
}
