// `i.automation` inside hooks: the methods published scripts call (spec §11.4), with the same
// inputs and CM result dicts. Methods that run processes return promises.
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import { clone, isDict, type Dict } from '../../core/merge.js';
import { envString, mergeEnv, type Env } from '../../core/script/env.js';
import { updateDeps } from '../../core/script/deps.js';
import { versionViolation } from '../../core/script/versions.js';
import { explainNoCandidate, type CandidateOutcome } from '../../core/script/candidates.js';
import { describeVariations } from '../../core/script/variations.js';
import { userCm } from '../user-module.js';
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

const SUFFIXES = [
  '',
  '.[0-9]',
  '.[0-9][0-9]',
  '-[0-9]',
  '-[0-9][0-9]',
  '[0-9]',
  '[0-9][0-9]',
  '[0-9].[0-9]',
  '[0-9][0-9].[0-9]',
  '[0-9][0-9].[0-9][0-9]',
];

function suffixRegExp(fileName: string, suffix: string): RegExp {
  const esc = fileName.replace(/[.+^${}()|\\*?]/g, '\\$&');
  const suf = suffix.replace(/\./g, '\\.');
  return new RegExp(`^${esc}${suf}$`);
}

/** Read `file` in `dir` and match `match_text`; sets which_env[env_key] and CM_DETECTED_VERSION
 *  (with the script's prefix). */
export function parseVersionFile(i: Dict, dir: string, prefix = 'CM_'): Dict {
  const file = resolve(dir, typeof i['file_name'] === 'string' ? i['file_name'] : 'tmp-ver.out');
  if (!existsSync(file)) return { return: 1, error: `can't find the version file ${file}` };
  const text = readFileSync(file, 'utf8');
  let re: RegExp;
  try {
    // As Python's re.search: ^ and $ anchor at the text's ends, not at each line.
    re = new RegExp(String(i['match_text'] ?? ''));
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

interface Candidates {
  env: Env;
  fileName: string;
  pathKey: string;
  defaultPaths: string[];
  paths: string[];
  files: string[];
}

export function scriptAutomationApi(shared: RunShared, scope: HookScope): Dict {
  const { ctx } = shared;
  const P = scope.prefix;
  const defaultPathList = (key: string): string[] =>
    (ctx.env[key] ?? '').split(delimiter).filter(Boolean);

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
      processEnv: ctx.env,
      emit: ctx.emit,
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

  /** Where find_artifact looks and what it finds there, before hooks and version checks. */
  const candidatesOf = (i: Dict): Candidates | { failed: Dict } => {
    const env = isDict(i['env']) ? i['env'] : scope.env;
    const fileName = String(i['file_name'] ?? '');
    const pathKey =
      typeof i['default_path_env_key'] === 'string' ? i['default_path_env_key'] : 'PATH';
    const defaultPaths = defaultPathList(pathKey);
    let paths = defaultPaths;
    const tmpPath = env[`${P}TMP_PATH`];
    if (typeof tmpPath === 'string' && tmpPath !== '') {
      paths = tmpPath.split(delimiter).filter(Boolean);
      if (env[`${P}TMP_PATH_IGNORE_NON_EXISTANT`] !== 'yes') {
        const missing = paths.filter((p) => !existsSync(p));
        if (missing.length)
          return {
            failed: {
              return: 1,
              error: `path(s) ${missing.join(', ')} given with --path do not exist`,
            },
          };
      }
    }
    let files: string[] = [];
    const forced = env[`${P}INPUT`];
    if (typeof forced === 'string' && forced !== '') {
      if (!existsSync(forced))
        return {
          failed: { return: 1, error: `file ${forced} given with --input does not exist` },
        };
      files = [forced];
    } else {
      const seen = new Set<string>();
      for (const p of paths) {
        let names: string[];
        try {
          names = readdirSync(p);
        } catch {
          continue;
        }
        for (const s of SUFFIXES) {
          const re = suffixRegExp(fileName, s);
          for (const n of names.filter((x) => re.test(x)).sort()) {
            const f = join(p, n);
            let real: string;
            try {
              if (!statSync(f).isFile()) continue;
              real = realpathSync(f);
            } catch {
              continue;
            }
            if (seen.has(real)) continue;
            seen.add(real);
            files.push(f);
          }
        }
      }
    }
    if (Array.isArray(i['only_files'])) files = i['only_files'].map(String);
    return { env, fileName, pathKey, defaultPaths, paths, files };
  };

  const api: Dict = {
    // Calls from hooks run in the hook's working folder, as os.getcwd() in the reference.
    cmind: userCm(ctx, () => scope.workDir()),
    /** Which env prefix the script's hooks use (the Python worker's helpers need it). */
    env_prefix: P,
    parse_version: (i: Dict) => parseVersionFile(i, scope.workDir(), P),
    run_native_script: runNative,
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
    get_default_path_list: (i: Dict) => {
      const key =
        typeof i['default_path_env_key'] === 'string' ? i['default_path_env_key'] : 'PATH';
      return defaultPathList(key);
    },
    find_file_back: (i: Dict) => {
      let dir = String(i['path'] ?? scope.workDir());
      const name = String(i['file_name'] ?? '');
      for (;;) {
        if (existsSync(join(dir, name))) return { return: 0, found_path: dir };
        const up = dirname(dir);
        if (up === dir) return { return: 0, found_path: '' };
        dir = up;
      }
    },
    find_file_deep: (i: Dict) => {
      const name = String(i['file_name'] ?? '');
      const restrict = Array.isArray(i['restrict_paths']) ? i['restrict_paths'].map(String) : [];
      const found: string[] = [];
      const walk = (d: string, depth: number): void => {
        if (depth > 12) return;
        let names: string[];
        try {
          names = readdirSync(d);
        } catch {
          return;
        }
        if (names.includes(name) && (restrict.length === 0 || restrict.some((r) => d.includes(r))))
          found.push(d);
        for (const n of names) {
          const p = join(d, n);
          try {
            if (statSync(p).isDirectory()) walk(p, depth + 1);
          } catch {
            // unreadable: skip
          }
        }
      };
      for (const p of Array.isArray(i['paths']) ? i['paths'].map(String) : []) walk(p, 0);
      return { return: 0, found_paths: found };
    },
    _available_variations: (i: Dict) => {
      const meta = isDict(i['meta']) ? i['meta'] : scope.meta;
      const v = isDict(meta['variations']) ? meta['variations'] : {};
      return {
        return: 1,
        error: `python package variation is not defined in "${String(meta['alias'])}". Available: ${describeVariations(v)}`,
      };
    },
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
    // The candidates alone: the Python side filters them with a hook (find_artifact's `hook`)
    // and passes the survivors back as `only_files`.
    find_artifact_candidates: (i: Dict) => {
      const c = candidatesOf(i);
      return 'failed' in c ? c.failed : { return: 0, files: c.files };
    },
    find_artifact: async (i: Dict) => {
      const c = candidatesOf(i);
      if ('failed' in c) return c.failed;
      const { env, fileName, pathKey, defaultPaths, paths } = c;
      let files = c.files;
      if (typeof i['hook'] === 'function') {
        const kept: string[] = [];
        for (const f of files) {
          const r = (await (i['hook'] as (x: Dict) => unknown)({ file: f })) as Dict | undefined;
          if (!r || !r['skip']) kept.push(f);
        }
        files = kept;
      }
      const envPathKey = typeof i['env_path_key'] === 'string' ? i['env_path_key'] : '';
      if (i['detect_version'] === true && envPathKey) {
        const ok: Array<{ file: string; version: string; env: Env }> = [];
        const rejected: CandidateOutcome[] = [];
        for (const f of files) {
          const tryEnv: Env = clone(env);
          tryEnv[envPathKey] = f;
          const r = await runNative({ ...i, env: tryEnv, detect_version: true });
          if (r['return'] !== 0) {
            const reason =
              typeof r['exit_status'] === 'number'
                ? `exit status ${r['exit_status']}`
                : String(r['error']).split('\n')[0]!;
            rejected.push({ kind: 'failed', file: f, reason });
            continue;
          }
          const v =
            typeof r['version'] === 'string'
              ? r['version']
              : envString(tryEnv[`${P}DETECTED_VERSION`] ?? '');
          if (v === '-1') rejected.push({ kind: 'incompatible', file: f });
          else if (versionViolation(v, constraintsOf(env, P)))
            rejected.push({ kind: 'version', file: f, version: v });
          else ok.push({ file: f, version: v, env: tryEnv });
        }
        if (ok.length === 0 && rejected.length > 0)
          return {
            return: 16,
            ...explainNoCandidate(fileName, constraintsOf(env, P), rejected),
            candidates: rejected,
          };
        files = ok.map((x) => x.file);
        // The chosen candidate's detection results (CM_DETECTED_VERSION, X_VERSION ...) are kept.
        if (ok[0]) Object.assign(env, ok[0].env);
      }
      if (files.length === 0)
        return {
          return: 16,
          error: `${fileName} not found in ${paths.join(delimiter) || '(no paths)'}`,
        };
      const file = files[0]!;
      const dir = dirname(file);
      if (envPathKey) env[envPathKey] = file;
      if (!defaultPaths.includes(dir)) {
        const k = `+${pathKey}`;
        const list = Array.isArray(env[k]) ? (env[k] as unknown[]) : [];
        if (!list.includes(dir)) env[k] = [dir, ...list];
        for (const [sub, key] of Object.entries(isDict(i['extra_paths']) ? i['extra_paths'] : {})) {
          const p = join(dirname(dir), sub);
          if (!existsSync(p)) continue;
          const kk = String(key);
          const l = Array.isArray(env[kk]) ? (env[kk] as unknown[]) : [];
          if (!l.includes(p)) env[kk] = [p, ...l];
        }
      }
      return {
        return: 0,
        found_path: dir,
        found_file_path: file,
        found_file_name: file.slice(dir.length + 1),
        default_path_list: defaultPaths,
      };
    },
  };
  return api;
}

function constraintsOf(
  env: Env,
  P: string,
): { version?: string; version_min?: string; version_max?: string } {
  const s = (k: string): string | undefined =>
    typeof env[k] === 'string' && env[k] !== '' ? (env[k] as string) : undefined;
  return {
    version: s(`${P}VERSION`),
    version_min: s(`${P}VERSION_MIN`),
    version_max: s(`${P}VERSION_MAX`),
  };
}
