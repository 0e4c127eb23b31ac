// The env dict of a script run: <<<VAR>>> expansion, dep conditions, export filters, `+KEY` list
// keys, the wrapper's export lines and the native script's KEY=VALUE output. All pure.
import { CmError } from '../errors.js';
import { clone, isDict, mergeDicts, type Dict } from '../merge.js';
import { secretKeysOf, type KnownSecrets } from '../secrets.js';

export type Env = Dict;

const globCache = new Map<string, RegExp>();
/** fnmatch-style `*` and `?` (case-sensitive), as the reference's key filters. */
export function globToRegExp(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) =>
      c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`,
    );
    re = new RegExp(`^${body}$`, 's');
    globCache.set(pattern, re);
  }
  return re;
}

export function matchesGlob(key: string, pattern: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return key === pattern;
  return globToRegExp(pattern).test(key);
}

export function matchesAnyGlob(key: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesGlob(key, p));
}

/** String form of an env value as the reference's `str()`. */
export function envString(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

const VAR = /<<<([^<>]+?)>>>/g;

/** Replace each `<<<NAME>>>` in `s` by env[NAME] (single pass; unknown names stay). */
export function expandString(s: string, env: Env, extra?: Env): string {
  if (!s.includes('<<<')) return s;
  return s.replace(VAR, (whole, name: string) => {
    const v = extra && name in extra ? extra[name] : env[name];
    return v === undefined ? whole : envString(v);
  });
}

/** `update_env_with_values`: expand every string (and list of strings) value of `env` in place. */
export function expandEnv(env: Env, extra?: Env): void {
  for (const [k, v] of Object.entries(env)) {
    if (typeof v === 'string') {
      if (v.includes('<<<')) env[k] = expandString(v, env, extra);
    } else if (Array.isArray(v)) {
      if (v.some((x) => typeof x === 'string' && x.includes('<<<')))
        env[k] = v.map((x) => (typeof x === 'string' ? expandString(x, env, extra) : x));
    }
  }
}

export function hasUnresolved(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('<<<');
  if (Array.isArray(v)) return v.some(hasUnresolved);
  return false;
}

const TRUE = ['yes', 'on', 'true', '1'];
const FALSE = ['no', 'off', 'false', '0'];

/** True for yes/on/true/1 (any case) or boolean true: the reference's check_if_true_yes_on. */
export function isTrue(v: unknown): boolean {
  if (v === true) return true;
  if (typeof v === 'number') return v === 1;
  return typeof v === 'string' && TRUE.includes(v.trim().toLowerCase());
}

const FALSE_LIKE = ['', 'no', 'off', 'false', '0', 'none', 'null'];

/**
 * A boolean key of a meta or a dep (cache, inherit_variation_tags, reuse_version, dynamic ...) as
 * the references read it: true, a non-zero number, or any string but a false-like word (no, off,
 * false, 0, none, null, empty; any case), so that `'True'` as published counts.
 */
export function isTruthy(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return !FALSE_LIKE.includes(v.trim().toLowerCase());
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** Whether one `KEY: [values]` condition holds for env (§6.5). A scalar counts as [scalar]. */
export function conditionHolds(env: Env, key: string, values: unknown): boolean {
  const list = (Array.isArray(values) ? values : [values]).map((x) =>
    envString(x).toLowerCase().trim(),
  );
  const present = key in env && env[key] !== undefined && env[key] !== null;
  const v = present ? envString(env[key]).toLowerCase().trim() : '';
  if (list.some((x) => TRUE.includes(x))) return present && !FALSE.includes(v) && v !== '';
  if (list.some((x) => FALSE.includes(x))) return !present || FALSE.includes(v) || v === '';
  if (!present) return list.includes('');
  return list.includes(v);
}

function allHold(env: Env, cond: Dict): boolean {
  return Object.entries(cond).every(([k, v]) => conditionHolds(env, k, v));
}
function anyHolds(env: Env, cond: Dict): boolean {
  return Object.entries(cond).some(([k, v]) => conditionHolds(env, k, v));
}

/**
 * Why a dep (or a conditional sub-meta) is skipped, or undefined when it applies. `prefix`: the
 * env prefix of the script the dep belongs to (CM_, or MLC_ in an MLC repo).
 */
export function skipReason(d: Dict, env: Env, prefix = 'CM_'): string | undefined {
  const fmt = (c: Dict): string =>
    Object.entries(c)
      .map(
        ([k, v]) =>
          `${k}=${JSON.stringify(v)} (now ${k in env ? JSON.stringify(env[k]) : 'unset'})`,
      )
      .join(', ');
  if (isTruthy(d['skip_if_fake_run']) && env[`${prefix}TMP_FAKE_RUN`] === 'yes')
    return 'skip_if_fake_run (fake run)';
  const en = d['enable_if_env'];
  if (isDict(en) && !allHold(env, en)) return `enable_if_env not met: ${fmt(en)}`;
  const enAny = d['enable_if_any_env'];
  if (isDict(enAny) && !anyHolds(env, enAny)) return `enable_if_any_env not met: ${fmt(enAny)}`;
  const sk = d['skip_if_env'];
  if (isDict(sk) && Object.keys(sk).length > 0 && allHold(env, sk))
    return `skip_if_env: ${fmt(sk)}`;
  const skAny = d['skip_if_any_env'];
  if (isDict(skAny) && anyHolds(env, skAny)) return `skip_if_any_env: ${fmt(skAny)}`;
  return undefined;
}

/** Keys of `env` selected by `new_env_keys` entries: globs, exact names, `<<<VAR>>>` indirection. */
export function filterKeys(env: Env, patterns: readonly unknown[]): Env {
  const pats: string[] = [];
  for (const p of patterns) {
    if (typeof p !== 'string') continue;
    const m = /^<<<(.+)>>>$/.exec(p);
    if (m) {
      const named = env[m[1]!];
      if (typeof named === 'string' && named !== '') pats.push(named);
    } else pats.push(p);
  }
  const out: Env = {};
  if (pats.length === 0) return out;
  for (const [k, v] of Object.entries(env)) if (matchesAnyGlob(k, pats)) out[k] = clone(v);
  return out;
}

/** Merge env dicts as the reference does everywhere: `+KEY` lists appended unique, rest replaced. */
export function mergeEnv(target: Env, source: Env): Env {
  for (const [k, v] of Object.entries(source)) {
    if (k.startsWith('+') && v !== undefined && !Array.isArray(v))
      throw new CmError(
        'bad-input',
        `List value expected for ${k} in env (found ${JSON.stringify(v)})`,
      );
  }
  return mergeDicts(target, source, { appendLists: true, appendUnique: true });
}

/** Replace the content of `target` in place (callers hold references to the object). */
export function replaceContent(target: Dict, source: Dict): void {
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, source);
}

/**
 * `tmp-run-env.out` lines `KEY=VALUE` → dict. Clean behaviour: split at the first `=` (the reference
 * keeps only the text up to a second `=`, QUIRK Q5). Blank lines and lines without `=` are ignored.
 */
export function parseEnvOut(text: string): Env {
  const out: Env = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** A value inside double quotes for bash: `"`, `\`, `$` and backtick escaped (QUIRK Q6 fixed). */
export function shellQuote(s: string): string {
  return `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Whether `key` can be exported to a native script: a shell variable name, or `+NAME` / `+;NAME`
 * (a list joined with `:` or the given separator and prepended to the existing value).
 */
export function isExportableKey(key: string): boolean {
  if (!key.startsWith('+')) return NAME.test(key);
  const rest = key.slice(1);
  return (
    NAME.test(rest) || (rest.length > 1 && !/^[A-Za-z0-9_]/.test(rest) && NAME.test(rest.slice(1)))
  );
}

/** Export lines for the wrapper: `+KEY` lists first (prepended to the existing value), then sorted keys. */
export function exportLines(env: Env): string[] {
  const lines: string[] = [];
  const keys = Object.keys(env).sort();
  for (const k of keys) {
    if (!k.startsWith('+')) continue;
    const v = env[k];
    if (!Array.isArray(v) || v.length === 0) continue;
    let name = k.slice(1);
    let sep = ':';
    if (name.length > 0 && !/^[A-Za-z0-9_]/.test(name)) {
      sep = name[0]!;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const items = v.map((x) => envString(x).replace(/(["\\$`])/g, '\\$1'));
    lines.push(`export ${name}="${items.join(sep)}${sep}\${${name}}"`);
  }
  for (const k of keys) {
    if (k.startsWith('+')) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) continue;
    const v = env[k];
    if (v === undefined || v === null) continue;
    lines.push(`export ${k}=${shellQuote(envString(v))}`);
  }
  return lines;
}

/**
 * Export lines for a file that stays on disk (a wrapper, tmp-env.sh): secrets are left out and
 * named in a comment; the native step gets them through its process environment instead.
 */
export function exportLinesWithoutSecrets(
  env: Env,
  known?: KnownSecrets,
): {
  lines: string[];
  secrets: Env;
  /** Keys no shell variable can have (left out of the lines). */
  unexportable: string[];
} {
  const unexportable = Object.keys(env).filter((k) => !isExportableKey(k));
  const keys = secretKeysOf(env, known);
  if (keys.length === 0) return { lines: exportLines(env), secrets: {}, unexportable };
  const rest: Env = { ...env };
  const secrets: Env = {};
  for (const k of keys) {
    secrets[k] = envString(env[k]);
    delete rest[k];
  }
  const note = `# not written here (secrets, given through the process environment): ${keys.sort().join(' ')}`;
  return { lines: [note, ...exportLines(rest)], secrets, unexportable };
}

const CONDITIONS = ['enable_if_env', 'enable_if_any_env', 'skip_if_env', 'skip_if_any_env'];

/**
 * --dry-run: the keys of a dep's conditions that only a planned script's hooks or native step
 * set (they match `runTimeGlobs`), so the plan cannot tell whether the dep applies. Keys fixed
 * by `const` are known.
 */
export function runTimeConditionKeys(
  d: Dict,
  runTimeGlobs: readonly string[],
  fixed: Env,
): string[] {
  if (runTimeGlobs.length === 0) return [];
  const keys = CONDITIONS.flatMap((c) => (isDict(d[c]) ? Object.keys(d[c]) : []));
  return [...new Set(keys)].filter((k) => !(k in fixed) && matchesAnyGlob(k, runTimeGlobs));
}

/** The env key globs a script's `new_env_keys` let out to its caller (`+KEY` as KEY). */
export function exportedGlobs(patterns: readonly unknown[], env: Env): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (typeof p !== 'string') continue;
    const m = /^<<<(.+)>>>$/.exec(p);
    if (!m) out.push(p.startsWith('+') ? p.slice(1) : p);
    else {
      const named = env[m[1]!];
      out.push(typeof named === 'string' && named !== '' ? named : '*');
    }
  }
  return out;
}
