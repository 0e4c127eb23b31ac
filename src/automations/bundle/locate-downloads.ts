// The files a locked tree downloaded, found on this machine for `cm bundle create`: at the path the
// lockfile recorded, else in the download store, each verified against the lockfile's sha256. All
// that cannot be found are named at once, with how to get them.
import { statSync } from 'node:fs';
import { CmError } from '../../core/errors.js';
import { findStoredDownload } from '../../db/download-store.js';
import type { LockedNode, Lockfile } from '../script/lockfile/lockfile.js';
import { fileDigest } from '../utils/download.js';

/** One downloaded content of the tree (several nodes may have downloaded it). */
export interface LockedContent {
  file: string;
  sha256: string;
  urls: string[];
  /** Where the lockfile says it was. */
  paths: string[];
}

/** The downloaded contents of `lock`'s tree, one per sha256, in tree order. */
export function lockedContents(lock: Lockfile): LockedContent[] {
  const bySha = new Map<string, LockedContent>();
  const visit = (n: LockedNode): void => {
    for (const d of n.downloads ?? []) {
      const c = bySha.get(d.sha256) ?? { file: d.file, sha256: d.sha256, urls: [], paths: [] };
      if (d.url !== undefined && !c.urls.includes(d.url)) c.urls.push(d.url);
      if (d.path !== undefined && !c.paths.includes(d.path)) c.paths.push(d.path);
      bySha.set(d.sha256, c);
    }
    n.deps.forEach(visit);
  };
  visit(lock.tree);
  return [...bySha.values()];
}

/** Where `c` is on this machine with the right content, or why it is not. */
async function locate(
  c: LockedContent,
  store: string,
): Promise<{ path: string } | { missing: string }> {
  const seen: string[] = [];
  for (const path of c.paths) {
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) continue;
    const sha256 = await fileDigest(path, 'sha256');
    if (sha256 === c.sha256) return { path };
    seen.push(`${path} has other bytes (sha256 ${sha256})`);
  }
  const stored = findStoredDownload(store, { urls: [], sha256: c.sha256 });
  if (stored && (await fileDigest(stored.path, 'sha256')) === c.sha256)
    return { path: stored.path };
  if (c.paths.length === 0) seen.push('the lockfile records no path for it');
  else if (seen.length === 0) seen.push(`not at ${c.paths.join(', ')}`);
  return { missing: `${c.file} (sha256 ${c.sha256}): ${seen.join('; ')}` };
}

/** The file of each content, verified; a CmError naming every one that is missing. */
export async function locateDownloads(
  contents: readonly LockedContent[],
  store: string,
  lockName: string,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const c of contents) {
    const where = await locate(c, store);
    if ('path' in where) found.set(c.sha256, where.path);
    else missing.push(where.missing);
  }
  if (missing.length > 0)
    throw new CmError(
      'file-not-found',
      `the bundle needs files ${lockName} locks that are not on this machine:\n  ${missing.join('\n  ')}`,
      {
        hint: `download them again by running the locked tree here (cm run script … --frozen=${lockName}), then make the bundle`,
      },
    );
  return found;
}
