// How the expression language sees row values: numbers hiding in strings, truthiness, equality,
// ordering and display. The rules every operator and function share; no syntax here.

/**
 * A string counts as a number when the WHOLE string is a finite decimal number: "12.5", "-3",
 * "1e3", ".5" do; " 12", "12 ms", "0x1f", "Infinity", "" do not. Results read from files often
 * carry numbers as strings, and they should compare and compute as numbers.
 */
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number `v` is or holds as text, or undefined. Booleans are not numbers (use num()). */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC_TEXT.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** null, false, 0, NaN, "" and [] are false; everything else (including "0") is true. */
export function isTruthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * Equality of two non-null values: numbers (and numeric strings) by value, so "1.0" == 1;
 * other strings and booleans exactly; lists item by item; anything else by identity.
 */
export function looseEquals(a: unknown, b: unknown): boolean {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined || y !== undefined) return x === y;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, k) => looseEquals(item, b[k]));
  }
  return a === b;
}

/**
 * Order of two values: numerically when both are numbers (or numeric strings), by code unit when
 * both are strings, undefined when they cannot be ordered (the comparison is then false).
 */
export function compareOrder(a: unknown, b: unknown): number | undefined {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/** A value as text: what str() returns and `+` concatenates. */
export function display(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? String(v);
}

/** The kind of a value as messages name it, with a short sample. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string')
    return `string ${JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return Array.isArray(v) ? 'a list' : 'an object';
}
