// How the index tells what changed on disk since it was written: folder mtimes for artifact
// folders that came or went, one stat per meta file for edits, and no trust in very recent times.
import { readdirSync } from 'node:fs';
import { fastStat, statInto } from './fast-stat.js';

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

/**
 * What the freshness check of one automation folder stats: for each stamp in `s` (4 per
 * artifact: mtime and size of its YAML then its JSON meta file) that is not -1, in order, the
 * meta file's path from the automation folder ("name/_cm.yaml") and a newline.
 */
export function probesOf(
  names: readonly string[],
  s: Float64Array,
  metaFiles: readonly string[],
): string {
  const lines: string[] = [];
  names.forEach((name, i) => {
    for (let f = 0; f < metaFiles.length; f++)
      if (s[i * 4 + f * 2] !== -1) lines.push(`${name}/${metaFiles[f]}\n`);
  });
  return lines.join('');
}

const statOut = new Float64Array(2);

/**
 * Positions of the artifacts whose meta files changed, out of `count` with stamps `s` and probes
 * `p` (see probesOf): unchanged mtime and size mean unchanged content. `prefix` goes before each
 * path ('' when the automation folder is the working folder). The paths are slices of one string
 * and the stat writes into a reused array: checking 10,000 artifacts allocates next to nothing,
 * which matters where each fresh page of memory costs as much as a few stats.
 */
export function staleRecords(prefix: string, count: number, s: Float64Array, p: string): number[] {
  const stale: number[] = [];
  let from = 0;
  for (let i = 0; i < count; i++) {
    let current = true;
    for (let k = i * 4; k < i * 4 + 4; k += 2) {
      if (s[k] === -1) continue;
      const end = p.indexOf('\n', from);
      // Past the end of `p` (a damaged index): the empty path is never current.
      const path = end < 0 ? '' : p.slice(from, end);
      from = end < 0 ? p.length : end + 1;
      if (!current) continue;
      current =
        statInto(prefix === '' ? path : prefix + path, statOut) &&
        statOut[0] === s[k] &&
        statOut[1] === s[k + 1];
    }
    if (!current) stale.push(i);
  }
  // Paths left over: `p` was not made from these stamps, and no answer above can be trusted.
  if (from !== p.length) return Array.from({ length: count }, (_, i) => i);
  return stale;
}
