// How the index stores artifacts: one automation folder's records as one text, one tab-separated
// line per artifact, with mtime/size stamps; read from artifact folders and looked into in place.
import { isCmError } from '../core/errors.js';
import type { Dict } from '../core/merge.js';
import { tagList } from '../core/tags.js';
import { fastStat } from './fast-stat.js';
import { mtimeOf, probesOf, sub, trusted } from './index-freshness.js';
import { readDictFile } from './meta-file.js';

/**
 * One automation folder. Every command loads the whole index and most look at a few artifacts,
 * so the records stay one string (searched with indexOf, sliced when a record is wanted) and the
 * stamps one Float64Array over the index file's bytes: nothing is built per artifact to load it.
 */
export interface IndexedDir {
  /** mtime of the automation folder (changes when artifact folders come or go) */
  m: number;
  /** default automation uid of its artifacts */
  U: string;
  /** the records, each ended by a newline: name TAB alias TAB uid TAB automation alias TAB
   *  automation uid TAB base TAB ",tag1,tag2,"; an empty field takes the default (folder name,
   *  automation folder, U) */
  t: string;
  /** number of records */
  n: number;
  /** per record 4 numbers: mtime and size of the repo format's YAML then JSON meta file
   *  (_cm.yaml/_cm.json or meta.yaml/meta.json; -1: absent) */
  s: Float64Array;
  /** the paths the freshness check stats (see probesOf) */
  p: string;
  /** whether some record names a `_base` */
  b: boolean;
  /** whether some record names an automation other than the folder's (own alias or uid) */
  o: boolean;
  /** sub-folders without a meta file (not artifacts yet): name → their mtime */
  d: Record<string, number>;
  /** artifacts whose meta could not be parsed: name → error */
  e: Record<string, string>;
  /** where each record starts in `t`, then t.length (made when first needed; not stored) */
  starts?: Int32Array;
}

export function emptyDir(): IndexedDir {
  return {
    m: -2,
    U: '',
    t: '',
    n: 0,
    s: new Float64Array(0),
    p: '',
    b: false,
    o: false,
    d: {},
    e: {},
  };
}

/** The records of a folder as an array, to change them (then setRecords). */
export function recordsOf(dir: IndexedDir): string[] {
  return dir.n === 0 ? [] : dir.t.slice(0, -1).split('\n');
}

/** Replace a folder's records and stamps, and what is made from them. */
export function setRecords(
  dir: IndexedDir,
  r: readonly string[],
  s: Float64Array,
  metaFiles: readonly string[],
): void {
  dir.t = r.map((x) => `${x}\n`).join('');
  dir.n = r.length;
  dir.s = s;
  dir.p = probesOf(
    r.map((x) => recordName(x)),
    s,
    metaFiles,
  );
  dir.b = r.some(hasBase);
  dir.o = r.some(hasOwnAutomation);
  delete dir.starts;
}

/** Where each record of `dir` starts in its text, and the text's length after the last. */
export function recordStarts(dir: IndexedDir): Int32Array {
  if (dir.starts === undefined) {
    const starts = new Int32Array(dir.n + 1);
    let at = 0;
    for (let i = 0; i < dir.n; i++) {
      starts[i] = at;
      at = dir.t.indexOf('\n', at) + 1;
    }
    starts[dir.n] = at;
    dir.starts = starts;
  }
  return dir.starts;
}

/** Record `i` of `dir` (a slice of its text). */
export function recordAt(dir: IndexedDir, i: number): string {
  const starts = recordStarts(dir);
  return dir.t.slice(starts[i]!, starts[i + 1]! - 1);
}

/** The position of the record that holds character `at` of the folder's text. */
export function recordIndexAt(dir: IndexedDir, at: number): number {
  const starts = recordStarts(dir);
  let lo = 0;
  let hi = dir.n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The artifact folder name of the record that starts at `start` of `text`. */
export function recordName(text: string, start = 0): string {
  return text.slice(start, text.indexOf('\t', start));
}

/** The alias of the record that starts at `start` of `text` (its folder name when it has none). */
export function recordAlias(text: string, start: number): string {
  const tab = text.indexOf('\t', start);
  const next = text.indexOf('\t', tab + 1);
  return next > tab + 1 ? text.slice(tab + 1, next) : text.slice(start, tab);
}

export const F_NAME = 0;
export const F_ALIAS = 1;
export const F_UID = 2;
export const F_AUTOMATION_ALIAS = 3;
export const F_AUTOMATION_UID = 4;
export const F_BASE = 5;
export const F_TAGS = 6;

/** Start offsets of the 7 fields of a record, then its end + 1 (reused: no allocation per record). */
const bounds = new Int32Array(8);

/** The bounds of the record that starts at `start` of `text` and ends at a newline or its end. */
export function splitRecord(text: string, start = 0): Int32Array {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  let p = start - 1;
  for (let f = 0; f < 7; f++) {
    bounds[f] = p + 1;
    p = f < 6 ? text.indexOf('\t', p + 1) : end;
  }
  bounds[7] = end + 1;
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

/** Whether a record names its own automation alias or uid (not the folder's defaults). */
export function hasOwnAutomation(r: string): boolean {
  const b = splitRecord(r);
  return !isEmptyField(b, F_AUTOMATION_ALIAS) || !isEmptyField(b, F_AUTOMATION_UID);
}

/** Whether a record names a `_base`: the field before the tags, which follow the last tab. */
export function hasBase(r: string): boolean {
  return r.charCodeAt(r.lastIndexOf('\t') - 1) !== 9;
}
