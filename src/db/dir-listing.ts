// Names in a folder (and other facts about files) read once per top-level command: checking a script folder for run-<os>.sh
// variants, hooks and validate_cache.sh costs one readdir instead of a dozen failed stats.
// The memos belong to the command (CommandMemos, kept by the run); outside one nothing is kept.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What one top-level command has read: one map per memo. Made by the command, dropped with it. */
export class CommandMemos {
  readonly #maps = new Map<symbol, Map<string, unknown>>();

  mapOf<V>(memo: symbol): Map<string, V> {
    let m = this.#maps.get(memo);
    if (!m) this.#maps.set(memo, (m = new Map()));
    return m as Map<string, V>;
  }
}

// Which command's memos the code below reads: the async context of that command's run, so that
// two commands at once (library calls, a run started by a hook) each read and fill their own.
const current = new AsyncLocalStorage<CommandMemos>();

/** Run `fn` (a top-level command) with `memos` as the memos of everything it reads. */
export function withCommandMemos<T>(memos: CommandMemos, fn: () => T): T {
  return current.run(memos, fn);
}

export interface CommandMemo<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  has(key: string): boolean;
}

/** A memo kept in the current command's CommandMemos (nothing is kept outside a command). */
export function commandMemo<V>(): CommandMemo<V> {
  const id = Symbol('memo');
  const map = (): Map<string, V> | undefined => current.getStore()?.mapOf<V>(id);
  return {
    get: (key) => map()?.get(key),
    set: (key, value) => void map()?.set(key, value),
    has: (key) => map()?.has(key) ?? false,
  };
}

const listings = commandMemo<Set<string>>();

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
