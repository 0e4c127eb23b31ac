// Bringing one automation folder of the index up to date with the disk: artifact folders that came
// or went (the folder's mtime), metas edited in place (one stat per meta file, see
// index-freshness.ts). A few edited metas are put in place; other changes rebuild the folder.
import {
  F_AUTOMATION_UID,
  hasBase,
  hasOwnAutomation,
  readArtifactRecord,
  recordName,
  recordsOf,
  recordStarts,
  setRecords,
} from './index-record.js';
import type { IndexedDir, ReadRecord } from './index-record.js';
import { mtimeOf, staleRecords, sub, subdirs, trusted } from './index-freshness.js';

/** A folder's records and stamps while they change. */
interface Work {
  r: string[];
  s: number[];
}

function workOf(dir: IndexedDir): Work {
  const s: number[] = [];
  for (let k = 0; k < dir.s.length; k++) s.push(dir.s[k]!);
  return { r: recordsOf(dir), s };
}

function commit(dir: IndexedDir, work: Work, metaFiles: readonly string[]): void {
  // Records whose meta file vanished were replaced by a marker: drop them.
  const kept = work.r.flatMap((r, i) => (r === '' ? [] : [i]));
  const s = new Float64Array(kept.length * 4);
  kept.forEach((i, at) => {
    for (let k = 0; k < 4; k++) s[at * 4 + k] = work.s[i * 4 + k]!;
  });
  setRecords(
    dir,
    kept.map((i) => work.r[i]!),
    s,
    metaFiles,
  );
}

/**
 * Run `fn` with `dir` as the working folder, giving it the prefix to put before names: the kernel
 * then resolves a two-part path per stat instead of the whole absolute path, a quarter of the cost
 * of checking 10,000 artifacts. Falls back to absolute paths when the folders cannot be changed.
 */
function withCwd(dir: string, fn: (prefix: string) => void): void {
  let previous: string;
  try {
    previous = process.cwd();
    process.chdir(dir);
  } catch {
    fn(sub(dir, ''));
    return;
  }
  try {
    fn('');
  } finally {
    process.chdir(previous);
  }
}

/**
 * Make `dir` (the automation folder at `dirPath`, of a repo whose artifacts have `metaFiles`)
 * match the disk; true when it changed.
 */
export function refreshDir(
  dirPath: string,
  dirName: string,
  dir: IndexedDir,
  metaFiles: readonly string[],
): boolean {
  const read = (n: string): ReadRecord =>
    readArtifactRecord(sub(dirPath, n), n, dirName, metaFiles);
  let changed = false;
  const mtime = mtimeOf(dirPath);
  if (mtime !== dir.m) {
    const kept = rescan(dirPath, dir, read, metaFiles);
    dir.m = trusted(mtime);
    // Every record was read just now (a new folder, a first index): nothing to check again.
    if (kept === 0) return true;
    changed = true;
  } else {
    // Folders that had no meta file yet: one may have got one.
    let work: Work | undefined;
    for (const n in dir.d) {
      if (mtimeOf(sub(dirPath, n)) === dir.d[n]) continue;
      delete dir.d[n];
      work ??= workOf(dir);
      store(dir, work, n, read(n));
    }
    if (work) commit(dir, work, metaFiles);
    changed = work !== undefined;
  }
  let stale: number[] = [];
  withCwd(dirPath, (prefix) => {
    stale = staleRecords(prefix, dir.n, dir.s, dir.p);
  });
  if (stale.length === 0) return changed;
  const starts = recordStarts(dir);
  const fresh = stale.map((i): Fresh => {
    const name = recordName(dir.t, starts[i]);
    delete dir.e[name];
    return { i, name, read: read(name) };
  });
  if (!replaceInPlace(dir, fresh)) {
    const work = workOf(dir);
    for (const { i, name, read } of fresh) store(dir, work, name, read, i);
    commit(dir, work, metaFiles);
  }
  return true;
}

/** A record read again: its position and folder name, and what was read. */
interface Fresh {
  i: number;
  name: string;
  read: ReadRecord;
}

/**
 * The common edit, a few metas changed in place with the same files: put their records into the
 * folder's text and stamps as they are, and keep its paths to stat. False (nothing done) when a
 * meta file came or went.
 */
function replaceInPlace(dir: IndexedDir, fresh: readonly Fresh[]): boolean {
  const sameFiles = ({ i, read }: Fresh): boolean =>
    read.fields !== undefined &&
    [0, 2].every((k) => (dir.s[i * 4 + k] === -1) === (read.stamps[k] === -1));
  if (fresh.length > 16 || !fresh.every(sameFiles)) return false;
  const starts = recordStarts(dir);
  const s = dir.s.slice();
  let t = dir.t;
  let flagsMayDrop = false;
  // From the last: the earlier records keep their starts.
  for (const { i, name, read } of [...fresh].sort((x, y) => y.i - x.i)) {
    const old = t.slice(starts[i], starts[i + 1]! - 1);
    const record = recordOf(dir, read.fields!);
    t = t.slice(0, starts[i]) + record + t.slice(starts[i + 1]! - 1);
    s.set(read.stamps, i * 4);
    if (read.error !== undefined) dir.e[name] = read.error;
    flagsMayDrop ||= hasBase(old) || hasOwnAutomation(old);
    dir.b ||= hasBase(record);
    dir.o ||= hasOwnAutomation(record);
  }
  Object.assign(dir, { t, s });
  delete dir.starts;
  if (flagsMayDrop) {
    const r = recordsOf(dir);
    dir.b = r.some(hasBase);
    dir.o = r.some(hasOwnAutomation);
  }
  return true;
}

/** The record of `fields` in `dir`, the folder's default automation uid left out. */
function recordOf(dir: IndexedDir, fields: string[]): string {
  if (fields[F_AUTOMATION_UID] === dir.U) fields[F_AUTOMATION_UID] = '';
  return fields.join('\t');
}

/** Artifact folders came or went: keep what is known, read the new ones; how many were kept. */
function rescan(
  dirPath: string,
  dir: IndexedDir,
  read: (name: string) => ReadRecord,
  metaFiles: readonly string[],
): number {
  const old = { ...workOf(dir), d: dir.d, e: dir.e };
  const known = new Map(old.r.map((r, i) => [recordName(r), i]));
  const work: Work = { r: [], s: [] };
  let kept = 0;
  dir.d = {};
  dir.e = {};
  for (const n of subdirs(dirPath)) {
    const i = known.get(n);
    if (i !== undefined) {
      kept++;
      work.r.push(old.r[i]!);
      for (let k = i * 4; k < i * 4 + 4; k++) work.s.push(old.s[k]!);
      const error = old.e[n];
      if (typeof error === 'string') dir.e[n] = error;
    } else if (typeof old.d[n] === 'number' && mtimeOf(sub(dirPath, n)) === old.d[n]) {
      dir.d[n] = old.d[n];
    } else {
      store(dir, work, n, read(n));
    }
  }
  commit(dir, work, metaFiles);
  return kept;
}

/** Put a freshly read record at position `at`, or after the others. */
function store(dir: IndexedDir, work: Work, name: string, read: ReadRecord, at = -1): void {
  if (!read.fields) {
    dir.d[name] = read.dirMtime ?? -1;
    if (at >= 0) work.r[at] = '';
    return;
  }
  if (dir.U === '' && work.r.length === 0) dir.U = read.fields[F_AUTOMATION_UID]!;
  const record = recordOf(dir, read.fields);
  if (at >= 0) {
    work.r[at] = record;
    for (let k = 0; k < 4; k++) work.s[at * 4 + k] = read.stamps[k]!;
  } else {
    work.r.push(record);
    work.s.push(...read.stamps);
  }
  if (read.error !== undefined) dir.e[name] = read.error;
}
