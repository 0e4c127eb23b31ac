// The download store ($CM_REPOS/downloads): downloaded files kept by content, put there by
// `cm bundle install`, which CM's downloader looks in before any network access. Layout:
// sha256/HASH/NAME is the file, sha256/HASH.json ({file, urls, added}) where it came from.
// Nothing here hashes: whoever adds a file has verified it, whoever takes one verifies it again.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDict } from '../core/merge.js';
import { maskUrlUserinfo } from '../core/secrets.js';
import { writeFileAtomic } from './atomic-file.js';
import { parseJson } from './meta-file.js';

export interface StoredDownload {
  sha256: string;
  /** The stored file. */
  path: string;
  /** The URLs it was downloaded from (passwords masked, as lockfiles record them). */
  urls: string[];
  /** When it was added (ISO time): of two files stored for one URL, the newer is taken. */
  added: string;
}

const HASH_RECORD = /^([0-9a-f]{64})\.json$/;

function recordPath(store: string, sha256: string): string {
  return join(store, 'sha256', `${sha256}.json`);
}

/** The entry of content `sha256`; undefined when the store has no such file. */
function readEntry(store: string, sha256: string): StoredDownload | undefined {
  const file = recordPath(store, sha256);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  // Records are written whole (atomic); one edited into something else is no entry.
  const record = parseJson(text, file);
  if (!isDict(record) || typeof record['file'] !== 'string' || !Array.isArray(record['urls']))
    return undefined;
  const path = join(store, 'sha256', sha256, basename(record['file']));
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
  return {
    sha256,
    path,
    urls: record['urls'].filter((u): u is string => typeof u === 'string'),
    added: typeof record['added'] === 'string' ? record['added'] : '',
  };
}

/** A URL as a lockfile records it: parsed (as the downloader parses it), its password masked. */
function comparableUrl(url: string): string {
  try {
    return maskUrlUserinfo(new URL(url).href);
  } catch {
    return maskUrlUserinfo(url);
  }
}

/**
 * The stored file of content `sha256` when given and stored; else the newest one stored for one
 * of `urls`; else undefined.
 */
export function findStoredDownload(
  store: string,
  wanted: { urls: readonly URL[]; sha256?: string | undefined },
): StoredDownload | undefined {
  if (wanted.sha256 !== undefined) {
    const byContent = readEntry(store, wanted.sha256);
    if (byContent) return byContent;
  }
  let names: string[];
  try {
    names = readdirSync(join(store, 'sha256'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const urls = new Set(wanted.urls.map((u) => comparableUrl(u.href)));
  let found: StoredDownload | undefined;
  for (const name of names) {
    const sha256 = HASH_RECORD.exec(name)?.[1];
    const entry = sha256 === undefined ? undefined : readEntry(store, sha256);
    if (!entry || !entry.urls.some((u) => urls.has(comparableUrl(u)))) continue;
    if (!found || entry.added > found.added) found = entry;
  }
  return found;
}

/**
 * Moves `file` (whose content the caller verified to be `sha256`) into the store as NAME, or
 * leaves it where it is when the store already holds that content; records `urls` either way.
 * Returns the stored file.
 */
export function addToDownloadStore(
  store: string,
  o: { sha256: string; file: string; name: string; urls: readonly string[] },
): string {
  const known = readEntry(store, o.sha256);
  let path = known?.path;
  if (path === undefined) {
    const dir = join(store, 'sha256', o.sha256);
    mkdirSync(dir, { recursive: true });
    path = join(dir, basename(o.name));
    renameSync(o.file, path);
  }
  const urls = [...new Set([...(known?.urls ?? []), ...o.urls])];
  const record = { file: basename(path), urls, added: new Date().toISOString() };
  writeFileAtomic(recordPath(store, o.sha256), `${JSON.stringify(record, null, 2)}\n`);
  return path;
}
