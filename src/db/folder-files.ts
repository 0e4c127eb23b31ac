// The files under a folder, breadth first and in name order, up to a limit: what a result page
// lists of a step folder, and what a cache entry's size adds up.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface FolderFile {
  /** Relative to the folder, with "/" between parts. */
  path: string;
  size: number;
}

/** At most `limit` files under `dir` (an unreadable folder is skipped; links are followed). */
export function folderFiles(dir: string, limit: number): FolderFile[] {
  const out: FolderFile[] = [];
  const queue = [dir];
  for (let q = 0; q < queue.length && out.length < limit; q++) {
    const d = queue[q]!;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const p = join(d, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory()) queue.push(p);
      else if (st?.isFile()) {
        out.push({ path: relative(dir, p).split(sep).join('/'), size: st.size });
        if (out.length >= limit) break;
      }
    }
  }
  return out;
}
