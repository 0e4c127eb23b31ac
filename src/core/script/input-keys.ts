// The input keys a script's meta says it takes: what makes a flag of `cm run script` "used".
// Pure: hooks that read other keys are tracked by the run (script/run-flags.ts).
import { isDict, type Dict } from '../merge.js';
import { DEP_KEYS, DEP_LISTS } from './deps.js';

const DEP_UPDATES = ['ad', 'add_deps', 'adr', 'add_deps_recursive'];

function dictOf(v: unknown): Dict {
  return isDict(v) ? v : {};
}

/** Keys of the entries that a dep update (`adr: {NAME: {...}}`) or a dep passes to its child run. */
function passedKeys(dep: Dict, into: Set<string>): void {
  for (const k of Object.keys(dep)) if (!DEP_KEYS.has(k)) into.add(k);
}

/**
 * The input keys of a script: `input_mapping` and `input_description` of its meta, of every
 * variation and of every version, and the keys its dep entries (and dep updates) pass on as
 * inputs of their child runs. Variations count whether selected or not: a warning must not
 * depend on which variation a default or an env key picked.
 */
export function scriptInputKeys(meta: Dict): string[] {
  const keys = new Set<string>();
  const subs = [
    meta,
    ...Object.values(dictOf(meta['variations'])),
    ...Object.values(dictOf(meta['versions'])),
  ].filter(isDict);
  for (const m of subs) {
    for (const k of Object.keys(dictOf(m['input_mapping']))) keys.add(k);
    for (const k of Object.keys(dictOf(m['input_description']))) keys.add(k);
    for (const l of DEP_LISTS) {
      const list = m[l];
      if (Array.isArray(list)) for (const d of list) if (isDict(d)) passedKeys(d, keys);
    }
    for (const u of DEP_UPDATES)
      for (const d of Object.values(dictOf(m[u]))) if (isDict(d)) passedKeys(d, keys);
  }
  return [...keys];
}
