// How the index stores artifacts: one tab-separated string per artifact plus mtime/size stamps,
// read from an artifact folder, checked against the disk, and turned into entries on demand.
import { readdirSync } from 'node:fs';
import { isCmError } from '../core/errors.js';
import type { Dict } from '../core/merge.js';
import { tagList } from '../core/tags.js';
import type { ArtifactEntry } from './artifact-entry.js';
import { fastStat, statInto } from './fast-stat.js';
import { readDictFile } from './meta-file.js';
import type { Repo } from './repo.js';

/**
 * One automation folder. The whole index is parsed by every command, so artifacts are stored as
 * one tab-separated string each plus a flat array of numbers (a fraction of the cost of an object
 * per artifact), and queries look into the strings without splitting them (see query()).
 */
export interface IndexedDir {
  /** mtime of the automation folder (changes when artifact folders come or go) */
  m: number;
  /** default automation uid of its artifacts */
  U: string;
  /** per artifact: name TAB alias TAB uid TAB automation alias TAB automation uid TAB base TAB
   *  ",tag1,tag2,"; an empty field takes the default (folder name, automation folder, U) */
  r: string[];
  /** per artifact 4 numbers: mtime and size of the repo format's YAML then JSON meta file
   *  (_cm.yaml/_cm.json or meta.yaml/meta.json; -1: absent) */
  s: number[];
  /** sub-folders without a meta file (not artifacts yet): name → their mtime */
  d: Record<string, number>;
  /** artifacts whose meta could not be parsed: name → error */
  e: Record<string, string>;
}

export const F_NAME = 0;
export const F_ALIAS = 1;
export const F_UID = 2;
export const F_AUTOMATION_ALIAS = 3;
export const F_AUTOMATION_UID = 4;
export const F_BASE = 5;
export const F_TAGS = 6;

/** Start offsets of the 7 fields of a record (reused buffer: no allocation per record). */
const bounds = new Int32Array(8);
export function splitRecord(rec: string): Int32Array {
  let p = -1;
  for (let f = 0; f < 7; f++) {
    bounds[f] = p + 1;
    p = f < 6 ? rec.indexOf('\t', p + 1) : rec.length;
  }
  bounds[7] = rec.length + 1;
  return bounds;
}

export function field(rec: string, b: Int32Array, f: number): string {
  return rec.slice(b[f]!, b[f + 1]! - 1);
}

export function isEmptyField(b: Int32Array, f: number): boolean {
  return b[f + 1]! - 1 === b[f]!;
}

export interface ReadRecord {
  /** the 7 record fields, automation uid always filled in (the caller drops the folder default) */
  fields?: string[];
  stamps: [number, number, number, number];
  dirMtime?: number;
  error?: string;
}

const clean = (s: string): string => s.replace(/[\t\n]/g, ' ');

/** Read an artifact folder's meta files (`metaFiles`: the repo format's) into an index record. */
export function readArtifactRecord(
  dir: string,
  name: string,
  automationDirName: string,
  metaFiles: readonly string[],
): ReadRecord {
  const stamps: [number, number, number, number] = [-1, -1, -1, -1];
  let meta: Dict = {};
  let error: string | undefined;
  let found = false;
  let tagsFile = '';
  metaFiles.forEach((file, i) => {
    const st = fastStat(sub(dir, file));
    if (!st?.[2]) return;
    found = true;
    stamps[i * 2] = trusted(st[0]);
    stamps[i * 2 + 1] = st[1];
    try {
      const part = readDictFile(sub(dir, file));
      if ('tags' in part) tagsFile = sub(dir, file);
      Object.assign(meta, part);
    } catch (e) {
      if (!isCmError(e)) throw e;
      error = e.message;
    }
  });
  if (!found) return { stamps, dirMtime: trusted(mtimeOf(dir)) };
  error ??= tagsProblem(meta['tags'], tagsFile);
  if (error) meta = {};
  const str = (v: unknown): string =>
    clean(typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const alias = str(meta['alias']);
  const automationAlias = str(meta['automation_alias']);
  const automationUid = str(meta['automation_uid']).toLowerCase();
  const fields = [
    clean(name),
    alias === name ? '' : alias,
    str(meta['uid']).toLowerCase(),
    automationAlias === automationDirName ? '' : automationAlias,
    automationUid,
    typeof meta['_base'] === 'string' ? clean(meta['_base']) : '',
    `,${tagList(meta['tags'])
      .map((t) => clean(t).replace(/,/g, ' '))
      .join(',')},`,
  ];
  const result: ReadRecord = { fields, stamps };
  if (error) result.error = error;
  return result;
}

/**
 * Tags must be a list of strings (numbers pass as text) or one "a,b" string: anything else would
 * leave the artifact unfindable by tags without a word, so it is reported like a malformed meta.
 */
function tagsProblem(tags: unknown, file: string): string | undefined {
  if (tags === undefined || tags === null || typeof tags === 'string') return undefined;
  if (Array.isArray(tags) && tags.every((t) => typeof t === 'string' || typeof t === 'number'))
    return undefined;
  return `${file}: tags must be a list of strings such as [get, python] (found ${JSON.stringify(tags)})`;
}

/** path.join is measurable at 10,000 artifacts: folder names here never need normalising. */
export function sub(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : dir + '/' + name;
}

/**
 * File systems stamp times from a coarse clock (a few ms), so a change made right after we looked
 * can carry the very mtime we recorded ("racy" entries, as git calls them). A time that recent is
 * not recorded: -2 never matches, so the next command looks again.
 */
const RACY_MS = 100;
export function trusted(mtime: number): number {
  return Date.now() - mtime < RACY_MS ? -2 : mtime;
}

export function mtimeOf(p: string): number {
  return fastStat(p)?.[0] ?? -1;
}

export function subdirs(p: string): string[] {
  try {
    return readdirSync(p, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** Where #scan stands: one stored record and its folder. */
export interface RecordAt {
  repo: Repo;
  dirName: string;
  dirPath: string;
  dir: IndexedDir;
  r: string;
  b: Int32Array;
  inherited: string | undefined;
  /** Position of the record in its folder (its stamps are s[at*4 .. at*4+3]). */
  at: number;
}

export function toEntry({
  repo,
  dirName,
  dirPath,
  dir,
  r,
  b,
  inherited,
  at,
}: RecordAt): ArtifactEntry {
  const name = field(r, b, F_NAME);
  const e = new StoredEntry(
    repo,
    sub(dirPath, name),
    dirName,
    isEmptyField(b, F_ALIAS) ? name : field(r, b, F_ALIAS),
    field(r, b, F_UID),
    isEmptyField(b, F_AUTOMATION_ALIAS) ? dirName : field(r, b, F_AUTOMATION_ALIAS),
    isEmptyField(b, F_AUTOMATION_UID) ? dir.U : field(r, b, F_AUTOMATION_UID),
    inherited ?? field(r, b, F_TAGS),
  );
  if (!isEmptyField(b, F_BASE)) e.base = field(r, b, F_BASE);
  e.stampSource(dir.s, at * 4);
  const error = dir.e[name];
  if (typeof error === 'string') e.error = error; // not an inherited name (constructor ...)
  return e;
}

/** An entry built from a stored record; its tags are split from the record only when read. */
class StoredEntry implements ArtifactEntry {
  declare repo: Repo;
  declare path: string;
  declare automationDir: string;
  declare alias: string;
  declare uid: string;
  declare automationAlias: string;
  declare automationUid: string;
  declare base?: string;
  declare error?: string;
  #tagText: string;
  // YAML meta mtime, size, JSON meta mtime, size as checked by this command's refresh (copied: the
  // index's arrays change when it refreshes again).
  #ym = NaN;
  #ys = NaN;
  #jm = NaN;
  #js = NaN;
  #tags: string[] | undefined;

  constructor(
    repo: Repo,
    path: string,
    automationDir: string,
    alias: string,
    uid: string,
    automationAlias: string,
    automationUid: string,
    tagText: string,
  ) {
    this.repo = repo;
    this.path = path;
    this.automationDir = automationDir;
    this.alias = alias;
    this.uid = uid;
    this.automationAlias = automationAlias;
    this.automationUid = automationUid;
    this.#tagText = tagText;
    this.#tags = undefined;
  }

  stampSource(s: number[], at: number): void {
    this.#ym = s[at] ?? NaN;
    this.#ys = s[at + 1] ?? NaN;
    this.#jm = s[at + 2] ?? NaN;
    this.#js = s[at + 3] ?? NaN;
  }

  /** The stamps this command's refresh checked: loading the meta need not stat it again. */
  get metaStamps(): number[] | undefined {
    const stamps = [this.#ym, this.#ys, this.#jm, this.#js];
    return stamps.every((x) => x === -1 || x >= 0) ? stamps : undefined;
  }

  get tags(): string[] {
    this.#tags ??= this.#tagText.length > 2 ? this.#tagText.slice(1, -1).split(',') : [];
    return this.#tags;
  }

  set tags(tags: string[]) {
    this.#tags = tags;
  }
}

export function hasBase(r: string): boolean {
  const b = splitRecord(r);
  return !isEmptyField(b, F_BASE);
}
const statOut = new Float64Array(2);

/** One stat per meta file: unchanged mtime and size mean unchanged content. */
export function isCurrent(
  dirPath: string,
  r: string,
  s: number[],
  at: number,
  metaFiles: readonly string[],
): boolean {
  const path = sub(dirPath, r.slice(0, r.indexOf('\t')));
  for (let f = 0; f < metaFiles.length; f++) {
    const mtime = s[at + f * 2]!;
    if (mtime === -1) continue;
    if (!statInto(sub(path, metaFiles[f]!), statOut)) return false;
    if (statOut[0] !== mtime || statOut[1] !== s[at + f * 2 + 1]) return false;
  }
  return true;
}
