// Bounds on the data CM accepts from meta files, @input files and flags, and the keys it refuses.
// Pure: the parsers in db/ and the flag grammar in argv.ts apply them and name the file or flag.

/**
 * Deepest nesting of lists and dicts (YAML aliases expanded). Real metas are under 10 levels deep;
 * 200 keeps every recursive walk over CM data (merge, clone, `--json` output) far from the stack.
 */
export const MAX_DEPTH = 200;
/** Most YAML aliases (`*name`) in one file. Published metas use none or a handful. */
export const MAX_ALIASES = 10_000;
/**
 * Most values a YAML file may hold once its aliases are expanded, as every copy of the data does.
 * The largest real metas hold a few thousand; a 1 KB alias bomb would hold hundreds of millions.
 */
export const MAX_EXPANDED_VALUES = 1_000_000;

/**
 * Keys that would change how a JavaScript object behaves when assigned (`__proto__` replaces its
 * prototype; `constructor` leads to Object.prototype through a key path): never a key of CM data.
 * `prototype` alone is an ordinary key of a plain object (no path reaches a function without
 * `constructor`), and published metas use it (cm4mlops' automation/script: `"prototype": true`).
 */
export const RESERVED_KEY_HINT =
  'rename the key: __proto__ and constructor are reserved (they change how JavaScript objects behave)';

export function isReservedKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor';
}

/** Could `text` spell a reserved key? (False for nearly every file: the check below is skipped.) */
export function mayHoldReservedKey(text: string): boolean {
  if (text.includes('\\')) return true; // an escape in a quoted key can spell any of them
  // Short, rare needles search fast; CM metas are full of "_", which slows a search for "__proto__".
  for (let i = text.indexOf('proto'); i >= 0; i = text.indexOf('proto', i + 5)) {
    if (text.startsWith('__proto__', i - 2)) return true;
  }
  for (let i = text.indexOf('ctor'); i >= 0; i = text.indexOf('ctor', i + 4)) {
    if (text.startsWith('constructor', i - 7)) return true;
  }
  return false;
}

export type DataProblem = { kind: 'too-deep' } | { kind: 'reserved-key'; key: string };

/**
 * The first bound that plain data (a JSON.parse result: a tree, no shared nodes) breaks: nesting
 * deeper than MAX_DEPTH or a reserved key. Never recurses deeper than MAX_DEPTH + 1.
 */
export function findDataProblem(value: unknown): DataProblem | undefined {
  return walk(value, 0);
}

function walk(v: unknown, depth: number): DataProblem | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  if (depth >= MAX_DEPTH) return { kind: 'too-deep' };
  if (Array.isArray(v)) {
    for (const x of v) {
      const p = walk(x, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  for (const k of Object.keys(v)) {
    if (isReservedKey(k)) return { kind: 'reserved-key', key: k };
    const p = walk((v as Record<string, unknown>)[k], depth + 1);
    if (p) return p;
  }
  return undefined;
}
