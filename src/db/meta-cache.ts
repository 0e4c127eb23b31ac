// Parsed YAML metas kept as JSON under $CM_REPOS/.meta-cache, keyed by path and checked against
// the file's mtime and size: loading a YAML artifact then costs one small JSON read instead of
// loading the YAML parser (the first command after an edit parses and refreshes it).
import { mkdirSync, readFileSync } from 'node:fs';
import { CmError } from '../core/errors.js';
import { isDict, type Dict } from '../core/merge.js';
import { writeFileAtomic } from './atomic-file.js';
import { fastStat, type FileStat } from './fast-stat.js';
import { trusted } from './index-freshness.js';
import { readDictFile } from './meta-file.js';

/** FNV-1a (52 bits): a short, stable file name for a path; the path itself is checked on read. */
function hashPath(path: string): string {
  let h = 0xcbf29ce484222325n & 0xfffffffffffffn;
  for (let i = 0; i < path.length; i++) {
    h ^= BigInt(path.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xfffffffffffffn;
  }
  return h.toString(16).padStart(13, '0');
}

interface CacheRecord {
  path: string;
  mtime: number;
  size: number;
  value: Dict;
}

export function readMetaFileCached(
  file: string,
  cacheDir: string | undefined,
  known?: FileStat,
): Dict {
  if (cacheDir === undefined || file.endsWith('.json')) return readDictFile(file);
  const st = known ?? fastStat(file);
  if (!st) throw new CmError('file-not-found', `${file} not found`);
  const cacheFile = `${cacheDir}/${hashPath(file)}.json`;
  try {
    const rec = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheRecord;
    if (rec.path === file && rec.mtime === st[0] && rec.size === st[1] && isDict(rec.value))
      return rec.value;
  } catch {
    // no cache entry yet, or a damaged one: parse the file
  }
  const value = readDictFile(file);
  if (trusted(st[0]) !== st[0]) return value; // too recent to key a cache entry on (see trusted)
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(cacheFile, JSON.stringify({ path: file, mtime: st[0], size: st[1], value }));
  } catch {
    // the cache is an optimisation only (read-only home, full disk ...)
  }
  return value;
}
