// Flattening one experiment result (a step's cm-output.json) into the flat dict that is stored
// in cm-result.json: nested dicts become dotted keys, every other value is kept as it is.

import { CmError } from '../errors.js';

/** A JSON object, not an array or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `{a: {b: 1}, s: "x"}` → `{"a.b": 1, s: "x"}`. Values keep their types (numbers stay numbers,
 * lists stay lists, unlike CMX's stringifying flattener); an empty nested dict contributes no
 * key, as in CM. Each call returns a fresh object (the reference shares one across steps, so
 * keys leaked from one step into the next). A key named `__proto__` becomes an ordinary own
 * key and never touches a prototype. When two paths spell the same dotted key (`"a.b"` and
 * `a: {b}`), the later one in the input wins.
 */
export function flattenResult(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
    throw new CmError('bad-input', `a result must be a JSON object, not ${kind}`, {
      hint: 'write one JSON object (like {"time": 1.5}) to cm-output.json',
    });
  }
  const out: Record<string, unknown> = {};
  addFlat(out, value, '');
  return out;
}

/**
 * A result parsed from JSON, flattened: the object itself when it is flat already (no nested dict:
 * a cm-result.json entry as CM writes it), else flattenResult's fresh object. JSON.parse makes a
 * `__proto__` key an own key, so the parsed object needs no copy.
 */
export function flatParsedResult(value: Record<string, unknown>): Record<string, unknown> {
  for (const key in value) if (isPlainObject(value[key])) return flattenResult(value);
  return value;
}

function addFlat(
  out: Record<string, unknown>,
  dict: Record<string, unknown>,
  prefix: string,
): void {
  for (const key of Object.keys(dict)) {
    const v = dict[key];
    const flatKey = prefix + key;
    if (isPlainObject(v)) {
      addFlat(out, v, flatKey + '.');
    } else {
      // defineProperty, not assignment: `out['__proto__'] = v` would replace the prototype.
      Object.defineProperty(out, flatKey, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
}
