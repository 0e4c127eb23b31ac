// The CM home ($CM_REPOS, default ~/CM): repos.json (registered repo paths), repos/ (pulled and
// initialised repos), the `local` scratch repo created on first use, our index and lock files, and
// the download store (downloads/, see download-store.ts).
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CmError } from '../core/errors.js';
import { tmpSuffix } from '../core/uid.js';
import type { EventSink } from '../core/events.js';
import { writeFileAtomic } from './atomic-file.js';
import { withLock } from './lock.js';
import { parseJson } from './meta-file.js';

export const LOCAL_REPO_UID = '9a3280b14a4285c9';
export const INTERNAL_REPO_UID = '36b263b05174aef9';

export interface HomePaths {
  root: string;
  reposJson: string;
  reposDir: string;
  localRepo: string;
  /** Our index; a different name from the reference's index.json so both can share a home. */
  indexFile: string;
  /** The JSON index of earlier versions, removed when the index is written. */
  oldIndexFile: string;
  locksDir: string;
  /** Parsed YAML metas (see meta-cache.ts). */
  metaCacheDir: string;
  /** Downloaded files by content, which the downloader uses before the network (download-store.ts). */
  downloadStore: string;
}

export function homePaths(root: string): HomePaths {
  const r = resolve(root);
  return {
    root: r,
    reposJson: join(r, 'repos.json'),
    reposDir: join(r, 'repos'),
    localRepo: join(r, 'repos', 'local'),
    indexFile: join(r, 'index-ts.bin'),
    oldIndexFile: join(r, 'index-ts.json'),
    locksDir: join(r, '.locks'),
    metaCacheDir: join(r, '.meta-cache'),
    downloadStore: join(r, 'downloads'),
  };
}

/** Create what a fresh home needs; cheap when it exists (two existence checks). */
export function ensureHome(paths: HomePaths): void {
  const localMeta = join(paths.localRepo, 'cmr.yaml');
  if (existsSync(paths.reposJson) && existsSync(localMeta)) return;
  mkdirSync(paths.localRepo, { recursive: true });
  if (!existsSync(paths.reposJson)) {
    // Complete or absent, never empty: two first commands in a fresh home run at once, and one
    // must not read the file between the other's create and write. Written beside, then linked
    // into place (which fails, harmlessly, if the other was first).
    const tmp = `${paths.reposJson}.tmp-${tmpSuffix()}`;
    writeFileSync(tmp, '[]\n');
    try {
      linkSync(tmp, paths.reposJson);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  if (!existsSync(localMeta) && !existsSync(join(paths.localRepo, 'cmr.json'))) {
    writeFileAtomic(localMeta, `alias: local\nname: local CM repository\nuid: ${LOCAL_REPO_UID}\n`);
  }
}

function readPathList(paths: HomePaths): string[] {
  const value = parseJson(readFileSync(paths.reposJson, 'utf8'), paths.reposJson);
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new CmError('bad-meta', `${paths.reposJson}: must be a JSON list of repo paths`, {
      hint: 'fix it by hand, e.g. ["/home/me/CM/repos/owner@name"]',
    });
  }
  return value as string[];
}

/**
 * Registered repo paths in file order (absolute). Paths that no longer exist are dropped from the
 * file with a warning (unlike the reference, the local repo is never added to the file).
 */
export function readRegisteredRepoPaths(paths: HomePaths, emit: EventSink): string[] {
  const raw = readPathList(paths);
  const abs = raw.map((p) => (isAbsolute(p) ? p : join(paths.reposDir, p)));
  const kept = abs.filter((p) => p !== paths.localRepo);
  const existing = kept.filter((p) => existsSync(p));
  if (existing.length !== raw.length) {
    for (const p of kept) {
      if (!existing.includes(p)) {
        emit({
          type: 'warning',
          text: `repository path ${p} not found (removed from ${paths.reposJson})`,
        });
      }
    }
    updateRegisteredRepoPaths(paths, (list) => list.filter((p) => existing.includes(p)));
  }
  return existing;
}

/** Read-modify-write repos.json under a lock. */
export function updateRegisteredRepoPaths(
  paths: HomePaths,
  change: (list: string[]) => string[],
): string[] {
  return withLock(join(paths.locksDir, 'repos.lock'), () => {
    const raw = existsSync(paths.reposJson) ? readPathList(paths) : [];
    const abs = raw.map((p) => (isAbsolute(p) ? p : join(paths.reposDir, p)));
    const next = change(abs);
    writeFileAtomic(paths.reposJson, JSON.stringify(next, null, 2) + '\n');
    return next;
  });
}
