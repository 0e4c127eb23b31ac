// Deep merge of CM dicts, as the reference's `utils.merge_dicts`. A `__proto__` key (refused where
// data comes in: flags, meta and input files) is skipped by every copy here: assigning it would
// replace the target's prototype instead of adding a key.

export type Dict = Record<string, unknown>;

export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface MergeOptions {
  /** Append lists instead of replacing them. */
  appendLists?: boolean;
  /** With appendLists: skip items already present. */
  appendUnique?: boolean;
  /** Keys left untouched in the target. */
  ignoreKeys?: readonly string[];
}

/** Merge `source` into `target` (mutated and returned): dicts recurse, lists replace or append. */
export function mergeDicts(target: Dict, source: Dict, options: MergeOptions = {}): Dict {
  for (const [key, value] of Object.entries(source)) {
    if (key === '__proto__' || options.ignoreKeys?.includes(key)) continue;
    const current = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isDict(value) && isDict(current)) {
      mergeDicts(current, value, options);
    } else if (Array.isArray(value) && Array.isArray(current) && options.appendLists) {
      for (const item of value) {
        if (options.appendUnique && current.some((c) => deepEqual(c, item))) continue;
        current.push(clone(item));
      }
    } else {
      target[key] = clone(value);
    }
  }
  return target;
}

/** A copy of plain data with every string (in dicts and lists, at any depth) passed through `f`. */
export function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (isDict(v)) {
    const out: Dict = {};
    for (const [k, x] of Object.entries(v)) if (k !== '__proto__') out[k] = mapStrings(x, f);
    return out;
  }
  return v;
}

/** Deep copy of plain data (dicts, lists, scalars); anything else goes through structuredClone. */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Dict = {};
  for (const k of Object.keys(v)) if (k !== '__proto__') out[k] = clone((v as Dict)[k]);
  return out as T;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as Dict);
  const kb = Object.keys(b as Dict);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Dict)[k], (b as Dict)[k]));
}

/** Sort keys recursively (the reference writes JSON with sort_keys=True). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isDict(v)) {
    const out: Dict = {};
    for (const k of Object.keys(v).sort()) if (k !== '__proto__') out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}
