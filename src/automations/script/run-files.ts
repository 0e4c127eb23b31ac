// The files and env keys of a script's working folder that the engine's phases share: the
// tmp-* files a run leaves, the env keys kept from deps, and the paths a meta names.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import { fnvHex } from '../../core/hash.js';
import { metaFileFor } from '../../db/artifact.js';
import { hasFile, listing } from '../../db/dir-listing.js';
import { ENV_PREFIX_OF } from '../../db/repo.js';

/** Env keys never passed to deps (unless a dep's force_env_keys names them), after the prefix. */
const LOCAL_ENV_SUFFIXES = [
  'VERSION',
  'VERSION_MIN',
  'VERSION_MAX',
  'VERSION_MAX_USABLE',
  'DETECTED_VERSION',
  'INPUT',
  'OUTPUT',
  'OUTBASENAME',
  'OUTDIRNAME',
  'NAME',
  'EXTRA_CACHE_TAGS',
  'TMP_*',
  'GIT_*',
  'RENEW_CACHE_ENTRY',
];

/** Local env keys with both prefixes: a CM script's CM_VERSION stays out of an MLC dep and back. */
export const LOCAL_ENV_KEYS = Object.values(ENV_PREFIX_OF).flatMap((p) =>
  LOCAL_ENV_SUFFIXES.map((k) => p + k),
);

/** The files a run writes in its working folder (removed before a run, and after an uncached one). */
export const TMP_FILES = [
  'tmp-run-state.json',
  'tmp-run-env.out',
  'tmp-ver.out',
  'tmp-env.sh',
  'tmp-env-all.sh',
  'tmp-state.json',
  'tmp-run.sh',
];

/** The hook files a script may have. */
export const HOOK_FILES = ['customize.py', 'customize.js', 'customize.mjs'];

/**
 * The files a meta key names for removal in the working folder: each must stay inside it (no
 * absolute path, no ".."), since a pulled repo's meta must not delete anything else.
 */
export function pathsInside(
  list: readonly string[],
  key: string,
  scriptDir: string,
): readonly string[] {
  for (const f of list) {
    if (
      f.trim() !== '' &&
      !isAbsolute(f) &&
      !/^[a-zA-Z]:/.test(f) &&
      !f.split(/[\\/]/).includes('..')
    )
      continue;
    throw new CmError(
      'bad-meta',
      `${metaFileFor(scriptDir)}: ${key} entry ${JSON.stringify(f)} must be a path inside the working folder`,
      {
        hint: 'name files relative to the working folder, without ".." (e.g. result.json)',
        details: { key, value: f },
      },
    );
  }
  return list;
}

/** Whether a script has anything that runs in its working folder: a native script or hooks. */
export function mayRunInFolder(scriptDir: string): boolean {
  for (const name of listing(scriptDir)) if (/\.(sh|bat|js|mjs|py)$/.test(name)) return true;
  return false;
}

/** Delete those of `names` that exist in `dir` (one directory read instead of a stat per name). */
export function removeFiles(dir: string, names: readonly string[]): void {
  let present: Set<string>;
  try {
    present = new Set(readdirSync(dir));
  } catch {
    return;
  }
  for (const n of names) {
    const first = n.split(/[\\/]/)[0]!;
    if (present.has(first)) rmSync(join(dir, n), { force: true, recursive: true });
  }
}

/**
 * The content (up to 4 MB) or size and time of each file in a "a,b" or "a;b" list, for cache keys.
 * A folder (a data set given by path) counts by its absolute path alone: its files are not read.
 */
export function filesStamp(list: string, cwd: string): string[] {
  const out: string[] = [];
  for (const name of list.split(/[,;]/).map((x) => x.trim())) {
    if (name === '') continue;
    const path = resolve(cwd, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      out.push(`${path}:folder`);
      continue;
    }
    if (!st || !st.isFile()) {
      out.push(`${path}:missing`);
      continue;
    }
    // Small files by content (a fresh checkout of the same patch still matches), big ones by
    // size and time (hashing a large archive on every lookup would cost more than it saves).
    out.push(
      st.size <= 4 << 20
        ? `${path}:${fnvHex(readFileSync(path, 'latin1'))}`
        : `${path}:${st.size}:${st.mtimeMs}`,
    );
  }
  return out;
}

/** The text of a script's hook files (what --dry-run reads to say what they may do at run time). */
export function hookSourceText(scriptDir: string): string {
  return HOOK_FILES.filter((f) => hasFile(scriptDir, f))
    .map((f) => readFileSync(join(scriptDir, f), 'utf8'))
    .join('\n');
}
