// The whitelist of functions an expression may call (gui.md §5.3), each with its arity and its
// null rule. Nothing else is callable: names are looked up with Object.hasOwn in this table.
import { ExprFault } from './expr-error.js';
import { compileRegex, testRegex, type SafeRegex } from './safe-regex.js';
import { asNumber, describe, display, looseEquals } from './values.js';

export interface FunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Arguments are evaluated; `regex` is matches()'s pattern when it was compiled at parse time. */
  apply(args: readonly unknown[], regex?: SafeRegex): unknown;
}

/** Most arguments a variadic function (min, max, coalesce) takes. */
const MAX_VARIADIC = 64;

function finite(name: string, n: number): number {
  if (!Number.isFinite(n)) throw new ExprFault(`${name}() gives no finite number here`);
  return n;
}

function numberArg(name: string, v: unknown): number {
  const n = asNumber(v);
  if (n === undefined) throw new ExprFault(`${name}() needs a number, got ${describe(v)}`);
  return n;
}

/** A one-number function: null gives null, a non-number is an error, so is a non-finite result. */
function numeric(name: string, f: (x: number) => number): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    apply: ([v]) => (v === null ? null : finite(name, f(numberArg(name, v)))),
  };
}

/**
 * Half away from zero at `digits` decimals (negative: tens, hundreds), on the value as shown
 * with 15 significant digits, so round(2.675, 2) is 2.68 as a person expects, not 2.67.
 */
function roundTo(x: number, digits: number): number {
  const scale = 10 ** Math.abs(digits);
  const scaled = digits >= 0 ? Math.abs(x) * scale : Math.abs(x) / scale;
  const r = Math.round(Number(scaled.toPrecision(15)));
  const back = digits >= 0 ? r / scale : r * scale;
  return x < 0 ? -back : back;
}

/** min/max over the arguments, or over the items of a single list argument; null if any is null. */
function extreme(name: string, pick: (a: number, b: number) => number): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: MAX_VARIADIC,
    apply(args) {
      const values = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
      if (values.length === 0 || values.some((v) => v === null || v === undefined)) return null;
      return values.map((v) => numberArg(name, v)).reduce((a, b) => pick(a, b));
    },
  };
}

function text(name: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new ExprFault(`${name}() needs a string, got ${describe(v)}`);
}

/** `needle in haystack`: a substring of a string, an item of a list; null on either side is false. */
export function contains(haystack: unknown, needle: unknown): boolean {
  if (haystack === null || needle === null || haystack === undefined || needle === undefined) {
    return false;
  }
  if (typeof haystack === 'string') {
    return (
      (typeof needle === 'string' || typeof needle === 'number') &&
      haystack.includes(String(needle))
    );
  }
  if (Array.isArray(haystack)) return haystack.some((item) => looseEquals(item, needle));
  throw new ExprFault(`"in" needs a string or a list to look in, got ${describe(haystack)}`);
}

function affix(name: string, test: (s: string, a: string) => boolean): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: 2,
    apply: ([s, a]) => (s === null || a === null ? false : test(text(name, s), text(name, a))),
  };
}

const FUNCTIONS_TABLE = {
  abs: numeric('abs', Math.abs),
  floor: numeric('floor', Math.floor),
  ceil: numeric('ceil', Math.ceil),
  sqrt: numeric('sqrt', Math.sqrt),
  exp: numeric('exp', Math.exp),
  log: numeric('log', Math.log),
  log2: numeric('log2', Math.log2),
  log10: numeric('log10', Math.log10),
  min: extreme('min', Math.min),
  max: extreme('max', Math.max),
  round: {
    minArgs: 1,
    maxArgs: 2,
    apply([v, d]) {
      if (v === null || d === null) return null;
      const digits = d === undefined ? 0 : numberArg('round', d);
      if (!Number.isInteger(digits) || Math.abs(digits) > 15) {
        throw new ExprFault(`round() digits must be a whole number from -15 to 15, got ${digits}`);
      }
      return finite('round', roundTo(numberArg('round', v), digits));
    },
  },
  pow: {
    minArgs: 2,
    maxArgs: 2,
    apply: ([a, b]) =>
      a === null || b === null ? null : finite('pow', numberArg('pow', a) ** numberArg('pow', b)),
  },
  num: {
    minArgs: 1,
    maxArgs: 1,
    apply: ([v]) => (typeof v === 'boolean' ? Number(v) : (asNumber(v) ?? null)),
  },
  str: { minArgs: 1, maxArgs: 1, apply: ([v]) => (v === null ? null : display(v)) },
  len: {
    minArgs: 1,
    maxArgs: 1,
    apply([v]) {
      if (v === null) return null;
      if (typeof v === 'string') return Array.from(v).length;
      if (Array.isArray(v)) return v.length;
      throw new ExprFault(`len() needs a string or a list, got ${describe(v)}`);
    },
  },
  lower: {
    minArgs: 1,
    maxArgs: 1,
    apply: ([v]) => (v === null ? null : text('lower', v).toLowerCase()),
  },
  upper: {
    minArgs: 1,
    maxArgs: 1,
    apply: ([v]) => (v === null ? null : text('upper', v).toUpperCase()),
  },
  contains: { minArgs: 2, maxArgs: 2, apply: ([h, n]) => contains(h, n) },
  startsWith: affix('startsWith', (s, a) => s.startsWith(a)),
  endsWith: affix('endsWith', (s, a) => s.endsWith(a)),
  matches: {
    minArgs: 2,
    maxArgs: 3,
    apply([s, pattern, flags], regex) {
      if (s === null || pattern === null) return false;
      const re =
        regex ??
        compileRegex(text('matches', pattern), flags === undefined ? '' : text('matches', flags));
      return testRegex(re, text('matches', s));
    },
  },
  isnum: {
    minArgs: 1,
    maxArgs: 1,
    apply: ([v]) => Number.isFinite(asNumber(v) ?? NaN),
  },
  coalesce: {
    minArgs: 1,
    maxArgs: MAX_VARIADIC,
    apply: (args) => args.find((v) => v !== null && v !== undefined) ?? null,
  },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS_TABLE;

/** The names of every callable function, for hints. */
export const FUNCTION_NAMES = Object.keys(FUNCTIONS_TABLE) as FunctionName[];

export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(FUNCTIONS_TABLE, name);
}

export function functionSpec(name: FunctionName): FunctionSpec {
  return FUNCTIONS_TABLE[name];
}
