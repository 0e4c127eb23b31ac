// Cache entries of script runs (artifacts of the `cache` automation in the local repo): the key,
// lookup with reasons for each rejected entry, atomic creation and completion, per-key locks and
// the fingerprint of the script that made an entry.
import { createRequire } from 'node:module';
import { fnvHex } from '../../core/hash.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { commandMemo, listing, primeListing } from '../../db/dir-listing.js';
import { fastStat } from '../../db/fast-stat.js';
import { basename, dirname, join, relative } from 'node:path';
import { CmError } from '../../core/errors.js';
import { withFsErrors } from '../../db/fs-error.js';
import { isDict, type Dict } from '../../core/merge.js';
import {
  compareVersions,
  versionViolation,
  type VersionConstraints,
} from '../../core/script/versions.js';
import { genUid } from '../../db/uid.js';
import type { ArtifactEntry } from '../../db/artifact-entry.js';
import { readArtifactMeta, saveArtifactMeta } from '../../db/artifact.js';
import { createArtifactDir, removeArtifactDir } from '../../db/artifact-write.js';
import { writeFileAtomic } from '../../db/atomic-file.js';
import { isHeld, lockTimeoutMs, waitForLock, type Lock } from '../../db/lock.js';
import { parseJson } from '../../db/meta-file.js';
import type { CmContext } from '../context.js';
import type { Problem, Rejection } from './reasons.js';

export const CACHE_UID = '541d6f712a6b464e';
export const CACHE_FILTER = { alias: 'cache', uid: CACHE_UID };
export const CACHED_STATE_FILE = 'cm-cached-state.json';

export interface CacheKey {
  scriptUid: string;
  scriptAlias: string;
  /** Every resolved variation (defaults included), sorted. */
  variations: string[];
  /** The resolved version ('' when it is only known after detection). */
  version: string;
  /** Extra tags the entry must carry (--extra_cache_tags, name-..., deps-...). */
  extraTags: string[];
}

export function cacheRoot(ctx: CmContext): string {
  const local = ctx.index.repos().find((r) => r.kind === 'local');
  return join(local ? local.artifactsRoot : ctx.paths.localRepo, 'cache');
}

export function keyHash(key: CacheKey): string {
  return fnvHex(
    JSON.stringify([key.scriptUid, key.variations, key.version, [...key.extraTags].sort()]),
  );
}

/**
 * Lock held while a key's entry is looked up, made and completed (two processes run it once).
 * Waiting sleeps on a timer, so that another run in this same process (library API) can finish.
 */
export async function lockKey(ctx: CmContext, key: CacheKey, onWait: () => void): Promise<Lock> {
  const path = join(cacheRoot(ctx), '.locks', `${keyHash(key)}.lock`);
  return waitForLock(path, {
    timeoutMs: lockTimeoutMs(ctx.env),
    onWait,
    onTimeout: () =>
      new CmError('locked', `timed out waiting for the cache lock ${path}`, {
        hint: 'another cm run of this script holds it; if none is running, delete the file',
      }),
  });
}

export function isLockHeld(ctx: CmContext, hash: string): boolean {
  return isHeld(join(cacheRoot(ctx), '.locks', `${hash}.lock`));
}

interface ScriptFiles {
  dir: string;
  files: Array<{ rel: string; path: string; size: number; mtimeMs: number }>;
  /** Folders walked (the script folder is ''), with their mtimes: a file added or removed shows. */
  dirs: Array<{ rel: string; mtimeMs: number }>;
}

const SKIP = (n: string): boolean =>
  n.startsWith('.') ||
  n.startsWith('tmp-') ||
  /^readme/i.test(n) ||
  n === '__pycache__' ||
  n === 'node_modules';

const listed = commandMemo<ScriptFiles>();
/** The files that make up a script (meta, native scripts, hooks; not tmp-*, READMEs, hidden ones). */
function scriptFiles(dir: string): ScriptFiles {
  const known = listed.get(dir);
  if (known) return known;
  const files: ScriptFiles['files'] = [];
  const dirs: ScriptFiles['dirs'] = [];
  const walk = (d: string, depth: number): void => {
    dirs.push({ rel: relative(dir, d), mtimeMs: fastStat(d)?.[0] ?? 0 });
    for (const n of [...listing(d)].sort()) {
      if (SKIP(n)) continue;
      const p = join(d, n);
      const st = fastStat(p);
      if (st && st[2]) {
        files.push({ rel: relative(dir, p), path: p, size: st[1], mtimeMs: st[0] });
        continue;
      }
      // Not a regular file: a folder (or a link to one) is walked two levels deep.
      if (depth < 2 && statSync(p, { throwIfNoEntry: false })?.isDirectory()) walk(p, depth + 1);
    }
  };
  walk(dir, 0);
  const r = { dir, files, dirs };
  listed.set(dir, r);
  return r;
}

/**
 * Stat signature of a script folder: the mtimes of its folders and the size and mtime of each
 * file, as text. Checking it later costs one stat per recorded item and no directory read.
 */
export function scriptStatSignature(dir: string): string {
  const f = scriptFiles(dir);
  return JSON.stringify([
    f.dirs.map((d) => [d.rel, d.mtimeMs]),
    f.files.map((x) => [x.rel, x.size, x.mtimeMs]),
  ]);
}

/** Whether the folder still matches a signature made by scriptStatSignature. */
export function statSignatureHolds(dir: string, sig: unknown): boolean {
  if (typeof sig !== 'string' || !sig.startsWith('[')) return false;
  let parsed: [Array<[string, number]>, Array<[string, number, number]>];
  try {
    parsed = JSON.parse(sig) as typeof parsed;
  } catch {
    return false;
  }
  for (const [rel, mtime] of parsed[0]) if (fastStat(join(dir, rel))?.[0] !== mtime) return false;
  for (const [rel, size, mtime] of parsed[1]) {
    const st = fastStat(join(dir, rel));
    if (!st || st[0] !== mtime || st[1] !== size) return false;
  }
  // The folder is as recorded: its script files are known without reading it (hidden, tmp-* and
  // README files are left out, none of which is a native script or a hook).
  primeListing(
    dir,
    parsed[1].map(([rel]) => rel).filter((rel) => !rel.includes('/') && !rel.includes('\\')),
  );
  return true;
}

const fingerprints = commandMemo<string>();
/**
 * A hash of the content of the script's files: an entry made by an older version of the script
 * is not reused silently. Computed only when the stat signature differs from the entry's.
 */
export function scriptFingerprint(dir: string): string {
  const known = fingerprints.get(dir);
  if (known) return known;
  // node:crypto is loaded only here (7 ms): most runs find the stat signature unchanged.
  const { createHash } = createRequire(import.meta.url)(
    'node:crypto',
  ) as typeof import('node:crypto');
  const h = createHash('sha1');
  for (const f of scriptFiles(dir).files) {
    h.update(f.rel).update('\0');
    if (f.size > 4 << 20) h.update(`${f.size}:${f.mtimeMs}`);
    else h.update(readFileSync(f.path));
    h.update('\0');
  }
  const fp = h.digest('hex').slice(0, 16);
  fingerprints.set(dir, fp);
  return fp;
}

/**
 * The fingerprint of a script as a run used it, taken when the run saves its entry (so that a run
 * loads node:crypto only after its process started): the files now, if they still match
 * `signature` (scriptStatSignature, as this command recorded them); '' (which no fingerprint
 * equals) if they changed while it ran, so that the entry is not reused for either version.
 */
export function fingerprintAsRun(dir: string, signature: string): string {
  return statSignatureHolds(dir, signature) ? scriptFingerprint(dir) : '';
}

export interface CacheEntry {
  entry: ArtifactEntry;
  /** What the completed run recorded about the entry (version, fingerprint, expiry ...). */
  info: Dict;
  /** The parsed cm-cached-state.json. */
  state: Dict;
  version: string;
}

export interface Lookup {
  found: CacheEntry[];
  rejected: Rejection[];
  /** When nothing was found: the script's entries still tagged `tmp`, as the index gave them. */
  unfinished?: readonly ArtifactEntry[];
}

function variationTags(tags: readonly string[]): string[] {
  return tags
    .filter((t) => t.startsWith('_') && !t.startsWith('_-'))
    .map((t) => t.slice(1))
    .sort();
}

/** Why an entry with these tags cannot serve the key (tags alone; no file is read). */
export function tagProblem(tags: readonly string[], key: CacheKey): Problem | undefined {
  if (tags.includes('tmp')) return { code: 'incomplete' };
  const vs = variationTags(tags);
  if (vs.join(',') !== key.variations.join(','))
    return { code: 'other-variations', has: vs, wanted: key.variations };
  if (key.version && !tags.includes(`version-${key.version}`))
    return { code: 'other-version', detail: `not made for version ${key.version}` };
  const missing = key.extraTags.filter((t) => !tags.includes(t));
  if (missing.length > 0) return { code: 'other-tags', missing };
  return undefined;
}

/** Why a completed entry (its recorded info) cannot be trusted now, or undefined. */
export function infoProblem(
  info: Dict,
  opts: { constraints?: VersionConstraints; scriptDir?: string; now: number },
): Problem | undefined {
  const version = typeof info['version'] === 'string' ? info['version'] : '';
  if (opts.constraints && version) {
    const v = versionViolation(version, { ...opts.constraints, version: undefined });
    if (v) return { code: 'other-version', detail: v };
  }
  const dep = info['dependent_cached_path'];
  if (typeof dep === 'string' && dep !== '' && !existsSync(dep))
    return { code: 'parent-gone', parent: dep };
  const exp = info['cache_expires'];
  if (typeof exp === 'number' && exp <= opts.now) return { code: 'expired', expiredAt: exp };
  const fp = info['script_fingerprint'];
  if (opts.scriptDir && typeof fp === 'string') {
    const sig = info['script_stat_signature'];
    const same =
      statSignatureHolds(opts.scriptDir, sig) || fp === scriptFingerprint(opts.scriptDir);
    if (!same) return { code: 'script-changed', files: changedFiles(opts.scriptDir, sig) };
  }
  return undefined;
}

/**
 * The files of a script that differ from a stat signature (added, removed, or another size or
 * time): those the entry's fingerprint no longer matches because of. Empty without a signature.
 */
export function changedFiles(dir: string, sig: unknown): string[] {
  if (typeof sig !== 'string' || !sig.startsWith('[')) return [];
  let recorded: Array<[string, number, number]>;
  try {
    recorded = (JSON.parse(sig) as [unknown, Array<[string, number, number]>])[1];
  } catch {
    return [];
  }
  const now = new Map(scriptFiles(dir).files.map((f) => [f.rel, f]));
  const out: string[] = [];
  for (const [rel, size, mtime] of recorded) {
    const f = now.get(rel);
    if (!f) out.push(`${rel} (removed)`);
    else if (f.size !== size || f.mtimeMs !== mtime) out.push(rel);
    now.delete(rel);
  }
  for (const rel of now.keys()) out.push(`${rel} (added)`);
  return out;
}

/**
 * The info of a completed entry: recorded in its cm-cached-state.json by this implementation
 * (one file read per candidate), or in its _cm.json for entries made by the reference.
 */
export function entryInfo(path: string, state: Dict): Dict {
  if (isDict(state['cache_info'])) return state['cache_info'];
  const meta = readArtifactMeta(path);
  return { ...meta, version: meta['version'] ?? state['version'] ?? '' };
}

export function lookup(
  ctx: CmContext,
  key: CacheKey,
  constraints: VersionConstraints,
  scriptDir: string,
): Lookup {
  const candidates = ctx.index.query({
    automation: CACHE_FILTER,
    tags: { include: [`script-artifact-${key.scriptUid}`], exclude: ['tmp'] },
  });
  const found: CacheEntry[] = [];
  const rejected: Lookup['rejected'] = [];
  const now = Date.now();
  for (const entry of candidates) {
    const byTags = tagProblem(entry.tags, key);
    if (byTags) {
      rejected.push({ ...byTags, path: entry.path });
      continue;
    }
    let state: Dict;
    let info: Dict;
    try {
      state = readCachedState(entry.path);
      info = entryInfo(entry.path, state);
    } catch (e) {
      rejected.push({
        code: 'unreadable',
        path: entry.path,
        detail:
          e instanceof CmError
            ? `its ${CACHED_STATE_FILE} is malformed (${e.message})`
            : `it has no readable ${CACHED_STATE_FILE}`,
      });
      continue;
    }
    const problem = infoProblem(info, { constraints, scriptDir, now });
    if (problem) rejected.push({ ...problem, path: entry.path });
    else
      found.push({
        entry,
        info,
        state,
        version: typeof info['version'] === 'string' ? info['version'] : '',
      });
  }
  // An entry made under another --name (tag name-X, e.g. a named venv's python) is taken only
  // when nothing else fits; then the highest version, then the newest.
  const named = (c: CacheEntry): number =>
    Number(c.entry.tags.some((t) => t.startsWith('name-') && !key.extraTags.includes(t)));
  found.sort(
    (a, b) =>
      named(a) - named(b) ||
      compareVersions(b.version || '0', a.version || '0') ||
      Number(b.info['cache_created'] ?? 0) - Number(a.info['cache_created'] ?? 0),
  );
  if (found.length > 0) return { found, rejected };
  const unfinished = unfinishedEntries(ctx, key);
  rejected.push(...incompleteEntries(unfinished, key));
  return { found, rejected, unfinished };
}

/** The script's entries still tagged `tmp`: left by a failed or killed run, or one running. */
function unfinishedEntries(ctx: CmContext, key: CacheKey): ArtifactEntry[] {
  return ctx.index.query({
    automation: CACHE_FILTER,
    tags: { include: ['tmp', `script-artifact-${key.scriptUid}`], exclude: [] },
  });
}

/** Those of `unfinished` whose tags are the key's. */
function incompleteEntries(unfinished: readonly ArtifactEntry[], key: CacheKey): Rejection[] {
  return unfinished
    .filter(
      (e) =>
        tagProblem(
          e.tags.filter((t) => t !== 'tmp'),
          key,
        ) === undefined,
    )
    .map((e) => ({ code: 'incomplete' as const, path: e.path }));
}

/**
 * An entry's cm-cached-state.json, checked: what a reuse merges into the run (new_env, new_state)
 * must have the shape a run writes, or the entry is not trusted (a tampered or truncated file
 * would otherwise be reused as an empty result).
 */
export function readCachedState(path: string): Dict {
  const file = join(path, CACHED_STATE_FILE);
  const parsed = parseJson(readFileSync(file, 'utf8'), file);
  const bad = (what: string, v: unknown): never => {
    throw new CmError('bad-meta', `${file}: ${what} (found ${JSON.stringify(v)?.slice(0, 80)})`, {
      hint: `remove the entry (cm rm cache ${basename(path)} -f, or cm prune cache) and run again`,
    });
  };
  if (!isDict(parsed)) return bad('the file must hold a mapping', parsed);
  for (const k of ['new_env', 'new_state', 'cache_info'])
    if (parsed[k] !== undefined && !isDict(parsed[k])) bad(`${k} must be a mapping`, parsed[k]);
  if (parsed['deps'] !== undefined && !Array.isArray(parsed['deps']))
    bad('deps must be a list', parsed['deps']);
  if (parsed['version'] !== undefined && typeof parsed['version'] !== 'string')
    bad('version must be a string', parsed['version']);
  if (isDict(parsed['new_env']))
    for (const [k, v] of Object.entries(parsed['new_env']))
      if (isDict(v)) bad(`new_env.${k} must be a string, a number or a list`, v);
  return parsed;
}

/** A new entry tagged `tmp`: the working folder of the run, trusted by nobody until completed. */
export function createEntry(ctx: CmContext, meta: Dict): string {
  const uid = genUid();
  const path = join(cacheRoot(ctx), uid);
  withFsErrors({ what: 'the cache entry', target: path, home: ctx.paths.root }, () =>
    createArtifactDir(
      path,
      { alias: '', uid, automation_alias: 'cache', automation_uid: CACHE_UID, ...meta },
      false,
    ),
  );
  ctx.index.markStale(dirname(path));
  return path;
}

/**
 * Remove entries of this key left by failed or killed runs (the caller holds the key's lock).
 * `unfinished`: the script's `tmp` entries from a lookup made under that lock (no entry of the
 * key can appear meanwhile), so that the index need not be asked again.
 */
export function removeFailedEntries(
  ctx: CmContext,
  key: CacheKey,
  unfinished: readonly ArtifactEntry[] = unfinishedEntries(ctx, key),
): number {
  const hash = keyHash(key);
  let n = 0;
  for (const e of unfinished) {
    let meta: Dict;
    try {
      meta = readArtifactMeta(e.path);
    } catch {
      continue;
    }
    if (meta['cache_key'] !== hash) continue;
    removeArtifactDir(e.path);
    ctx.index.markStale(dirname(e.path));
    n++;
  }
  return n;
}

/** Complete an entry: its cached state first, then the meta without `tmp` (the commit point). */
export function completeEntry(ctx: CmContext, path: string, state: Dict, meta: Dict): void {
  writeFileAtomic(join(path, CACHED_STATE_FILE), JSON.stringify(state, null, 2) + '\n');
  const current = readArtifactMeta(path);
  // Keys describing the previous run (--renew) do not survive unless this run sets them again.
  for (const k of ['version', 'dependent_cached_path', 'cache_expires']) delete current[k];
  saveArtifactMeta(path, { ...current, ...meta });
  ctx.index.markStale(dirname(path));
}

export function markEntryFailed(ctx: CmContext, path: string): void {
  try {
    const meta = readArtifactMeta(path);
    const tags = Array.isArray(meta['tags']) ? meta['tags'].map(String) : [];
    if (!tags.includes('tmp')) saveArtifactMeta(path, { ...meta, tags: ['tmp', ...tags] });
    ctx.index.markStale(dirname(path));
  } catch {
    // the entry is gone: nothing to mark
  }
}

/** `10m`, `2h`, `3d`, `45s`, or a number of seconds → milliseconds (undefined for none or 0). */
export function parseExpiration(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '' || v === false) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(String(v).trim());
  if (!m)
    throw new CmError('bad-input', `cache_expiration "${String(v)}" is not a duration`, {
      hint: 'use a number with s, m, h or d: 45s, 10m, 2h, 3d (0 = never expires)',
    });
  const n =
    Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400, '': 1 } as Record<string, number>)[m[2]!]!;
  return n > 0 ? n * 1000 : undefined;
}
