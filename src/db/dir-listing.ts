// Names in a folder (and other facts about files) read once per top-level command: checking a script folder for run-<os>.sh
// variants, hooks and validate_cache.sh costs one readdir instead of a dozen failed stats.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const memos: Array<Map<string, unknown>> = [];

/** A cache of what was read from folders, emptied by resetListings() with all the others. */
export function commandMemo<V>(): Map<string, V> {
  const m = new Map<string, V>();
  memos.push(m as Map<string, unknown>);
  return m;
}

const listings = commandMemo<Set<string>>();

/** Forget what was read (a new top-level run may follow edits): listings, script files, hashes. */
export function resetListings(): void {
  for (const m of memos) m.clear();
}

export function listing(dir: string): Set<string> {
  let names = listings.get(dir);
  if (!names) {
    try {
      names = new Set(readdirSync(dir));
    } catch {
      names = new Set();
    }
    listings.set(dir, names);
  }
  return names;
}

/** Record what another check already knows to be in `dir` (e.g. a cache entry's script files). */
export function primeListing(dir: string, names: Iterable<string>): void {
  if (!listings.has(dir)) listings.set(dir, new Set(names));
}

/** Whether `dir/name` exists (as listed at the first look at `dir` in this command). */
export function hasFile(dir: string, name: string): boolean {
  return listing(dir).has(name);
}

export function fileIn(dir: string, name: string): string | undefined {
  return hasFile(dir, name) ? join(dir, name) : undefined;
}
