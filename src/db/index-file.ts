// The index on disk: one binary file read in one go. Every command loads it, so nothing in it is
// parsed per artifact: the stamps are a Float64Array over the file's own bytes, the records one
// UTF-8 text split at newlines, and only the small part describing repos and folders is JSON.
import { isDict, type Dict } from '../core/merge.js';
import type { IndexedDir } from './index-record.js';
import type { RepoMeta } from './repo.js';

/** Bumped also when meta parsing changes: a meta the old parser could not read is read again. */
export const INDEX_FORMAT = 'cm-ts-index/9';

/** [file name, mtimeMs, size] of a repo meta file. */
export type Stamp = [string, number, number];

export interface IndexedRepo {
  cmr: Stamp | null;
  meta: Omit<RepoMeta, 'raw'> & { raw: Dict };
  rootMtime: number;
  dirs: Record<string, IndexedDir>;
}

export interface IndexData {
  repos: Record<string, IndexedRepo>;
}

/*
 * Layout:
 *   0   "cm-ts-index/9 le" (or "be": the byte order of the stamps, the machine's own)
 *   16  uint32 (little-endian) stamp count S, JSON bytes J, record bytes T, 0
 *   32  S float64 stamps: every folder's `s`, in the order of the JSON
 *   ..  J bytes of JSON: the repos, with each folder's `t`, `s` and `p` left out and the lengths
 *       of its `t` and `p` in characters, `tl` and `pl`, put in
 *   ..  T bytes of UTF-8: every folder's `t`, in the same order
 *   ..  the rest, UTF-8: every folder's `p`, in the same order
 */
const HEAD = 32;
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const MAGIC = Buffer.from(`${INDEX_FORMAT} ${isLittleEndian ? 'le' : 'be'}`.padEnd(16), 'latin1');

type StoredDir = Omit<IndexedDir, 't' | 's' | 'p' | 'starts'> & { tl: number; pl: number };

export function encodeIndex(data: IndexData): Buffer {
  const stamps: Float64Array[] = [];
  const texts: string[] = [];
  const probes: string[] = [];
  const repos: Record<string, Omit<IndexedRepo, 'dirs'> & { dirs: Record<string, StoredDir> }> = {};
  for (const [root, rec] of Object.entries(data.repos)) {
    const dirs: Record<string, StoredDir> = {};
    for (const [name, dir] of Object.entries(rec.dirs)) {
      const { m, U, n, b, o, d, e } = dir;
      dirs[name] = { m, U, n, b, o, d, e, tl: dir.t.length, pl: dir.p.length };
      stamps.push(dir.s);
      texts.push(dir.t);
      probes.push(dir.p);
    }
    repos[root] = { ...rec, dirs };
  }
  const json = Buffer.from(JSON.stringify({ repos }));
  const text = Buffer.from(texts.join(''));
  const probeText = Buffer.from(probes.join(''));
  const count = stamps.reduce((sum, s) => sum + s.length, 0);
  const textAt = HEAD + count * 8 + json.length;
  const out = Buffer.alloc(textAt + text.length + probeText.length);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(count, 16);
  out.writeUInt32LE(json.length, 20);
  out.writeUInt32LE(text.length, 24);
  const all = new Float64Array(out.buffer, out.byteOffset + HEAD, count);
  let at = 0;
  for (const s of stamps) {
    all.set(s, at);
    at += s.length;
  }
  json.copy(out, HEAD + count * 8);
  text.copy(out, textAt);
  probeText.copy(out, textAt + text.length);
  return out;
}

/** The index in `buf`, or undefined when it is of another format or damaged (then rebuilt). */
export function decodeIndex(buf: Buffer): IndexData | undefined {
  if (buf.length < HEAD || !buf.subarray(0, 16).equals(MAGIC)) return undefined;
  const count = buf.readUInt32LE(16);
  const jsonAt = HEAD + count * 8;
  const textAt = jsonAt + buf.readUInt32LE(20);
  const probesAt = textAt + buf.readUInt32LE(24);
  if (probesAt > buf.length) return undefined;
  // A Float64Array needs an 8-byte aligned start: a small file may sit anywhere in a pool.
  const aligned = (buf.byteOffset + HEAD) % 8 === 0;
  const all = aligned
    ? new Float64Array(buf.buffer, buf.byteOffset + HEAD, count)
    : new Float64Array(buf.buffer.slice(buf.byteOffset + HEAD, buf.byteOffset + jsonAt));
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8', jsonAt, textAt));
  } catch {
    return undefined;
  }
  if (!isDict(parsed) || !isDict(parsed['repos'])) return undefined;
  const texts = buf.toString('utf8', textAt, probesAt);
  const probes = buf.toString('utf8', probesAt, buf.length);
  let stamp = 0;
  let text = 0;
  let probe = 0;
  for (const rec of Object.values(parsed['repos'])) {
    if (!isDict(rec) || !isDict(rec['dirs']) || !isDict(rec['meta'])) return undefined;
    for (const stored of Object.values(rec['dirs'])) {
      if (!isStoredDir(stored)) return undefined;
      const { m, U, n, b, o, d, e, tl, pl } = stored;
      const dir: IndexedDir = {
        m,
        U,
        n,
        b,
        o,
        d,
        e,
        t: texts.slice(text, text + tl),
        s: all.subarray(stamp, stamp + n * 4),
        p: probes.slice(probe, probe + pl),
      };
      // Records end with a newline; a count beyond the stamps is damage.
      if (stamp + n * 4 > count || (n > 0 && !dir.t.endsWith('\n'))) return undefined;
      Object.assign(stored, dir);
      delete (stored as Partial<StoredDir>).tl;
      delete (stored as Partial<StoredDir>).pl;
      stamp += n * 4;
      text += tl;
      probe += pl;
    }
  }
  if (stamp !== count || text !== texts.length || probe !== probes.length) return undefined;
  return parsed as unknown as IndexData;
}

function isStoredDir(v: unknown): v is StoredDir {
  const count = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0;
  return (
    isDict(v) &&
    typeof v['m'] === 'number' &&
    typeof v['U'] === 'string' &&
    typeof v['b'] === 'boolean' &&
    typeof v['o'] === 'boolean' &&
    count(v['n']) &&
    count(v['tl']) &&
    count(v['pl']) &&
    isDict(v['d']) &&
    isDict(v['e'])
  );
}
