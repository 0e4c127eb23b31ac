// The file-finding methods of `i.automation` (spec §11.4): find_artifact (a tool on the paths of
// an env key, with version detection), its candidates alone, the default path list, and the walks
// find_file_back / find_file_deep. Running the native script is the hook API's (hook-api.ts).
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { clone, isDict, type Dict } from '../../core/merge.js';
import { envString, type Env } from '../../core/script/env.js';
import { versionViolation } from '../../core/script/versions.js';
import { explainNoCandidate, type CandidateOutcome } from '../../core/script/candidates.js';

/** What the finding methods need from the hook's run. */
export interface FindScope {
  /** The env of the run (for calls that pass none). */
  env: Env;
  /** The script's env prefix: CM_ or MLC_. */
  prefix: string;
  workDir: () => string;
  /** The engine's process env (where PATH and the other default path lists come from). */
  processEnv: Readonly<Record<string, string | undefined>>;
  /** run_native_script with detect_version: the check of one candidate. */
  detect: (i: Dict) => Promise<Dict>;
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

interface Candidates {
  env: Env;
  fileName: string;
  pathKey: string;
  defaultPaths: string[];
  paths: string[];
  files: string[];
}

export function constraintsOf(
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

/** Files named `fileName` (with a version suffix) in `paths`, each real file once. */
function filesIn(paths: readonly string[], fileName: string): string[] {
  const files: string[] = [];
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
  return files;
}

/** Where find_artifact looks and what it finds there, before hooks and version checks. */
function candidatesOf(i: Dict, scope: FindScope): Candidates | { failed: Dict } {
  const P = scope.prefix;
  const env = isDict(i['env']) ? i['env'] : scope.env;
  const fileName = String(i['file_name'] ?? '');
  const pathKey =
    typeof i['default_path_env_key'] === 'string' ? i['default_path_env_key'] : 'PATH';
  const defaultPaths = defaultPathList(scope, pathKey);
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
  let files: string[];
  const forced = env[`${P}INPUT`];
  if (typeof forced === 'string' && forced !== '') {
    if (!existsSync(forced))
      return {
        failed: { return: 1, error: `file ${forced} given with --input does not exist` },
      };
    files = [forced];
  } else files = filesIn(paths, fileName);
  if (Array.isArray(i['only_files'])) files = i['only_files'].map(String);
  return { env, fileName, pathKey, defaultPaths, paths, files };
}

function defaultPathList(scope: FindScope, key: string): string[] {
  return (scope.processEnv[key] ?? '').split(delimiter).filter(Boolean);
}

/**
 * find_artifact with detect_version: each candidate's version is detected; those the version
 * bounds rule out (or that fail) are left out, with why. The chosen one's detection env is kept.
 */
async function keepDetected(
  i: Dict,
  c: Candidates,
  files: readonly string[],
  envPathKey: string,
  scope: FindScope,
): Promise<{ files: string[] } | { failed: Dict }> {
  const P = scope.prefix;
  const { env } = c;
  const ok: Array<{ file: string; version: string; env: Env }> = [];
  const rejected: CandidateOutcome[] = [];
  for (const f of files) {
    const tryEnv: Env = clone(env);
    tryEnv[envPathKey] = f;
    const r = await scope.detect({ ...i, env: tryEnv, detect_version: true });
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
      failed: {
        return: 16,
        ...explainNoCandidate(c.fileName, constraintsOf(env, P), rejected),
        candidates: rejected,
      },
    };
  // The chosen candidate's detection results (CM_DETECTED_VERSION, X_VERSION ...) are kept.
  if (ok[0]) Object.assign(env, ok[0].env);
  return { files: ok.map((x) => x.file) };
}

/** The found file goes into env: env_path_key, and its folder (and extra_paths) on the path. */
function recordFound(i: Dict, c: Candidates, file: string, envPathKey: string): Dict {
  const { env, pathKey, defaultPaths } = c;
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
}

async function findArtifact(i: Dict, scope: FindScope): Promise<Dict> {
  const c = candidatesOf(i, scope);
  if ('failed' in c) return c.failed;
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
    const d = await keepDetected(i, c, files, envPathKey, scope);
    if ('failed' in d) return d.failed;
    files = d.files;
  }
  if (files.length === 0)
    return {
      return: 16,
      error: `${c.fileName} not found in ${c.paths.join(delimiter) || '(no paths)'}`,
    };
  return recordFound(i, c, files[0]!, envPathKey);
}

function findFileBack(i: Dict, scope: FindScope): Dict {
  let dir = String(i['path'] ?? scope.workDir());
  const name = String(i['file_name'] ?? '');
  for (;;) {
    if (existsSync(join(dir, name))) return { return: 0, found_path: dir };
    const up = dirname(dir);
    if (up === dir) return { return: 0, found_path: '' };
    dir = up;
  }
}

function findFileDeep(i: Dict): Dict {
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
}

/** The finding methods of `i.automation`, by their Python names. */
export function findMethods(scope: FindScope): Dict {
  return {
    find_artifact: (i: Dict) => findArtifact(i, scope),
    // The candidates alone: the Python side filters them with a hook (find_artifact's `hook`)
    // and passes the survivors back as `only_files`.
    find_artifact_candidates: (i: Dict) => {
      const c = candidatesOf(i, scope);
      return 'failed' in c ? c.failed : { return: 0, files: c.files };
    },
    get_default_path_list: (i: Dict) =>
      defaultPathList(
        scope,
        typeof i['default_path_env_key'] === 'string' ? i['default_path_env_key'] : 'PATH',
      ),
    find_file_back: (i: Dict) => findFileBack(i, scope),
    find_file_deep: (i: Dict) => findFileDeep(i),
  };
}
