// The dimensions of an exploration (experiment.md §2.5): their values from a list or an
// expression, the merge of file and inline dimensions, the odometer-ordered points, and how a
// value is written into the step env. Pure: nothing runs here.
import { CmError } from '../errors.js';
import { EXPLORE_FORMS, ExploreFault, exploreError } from './explore-error.js';
import { evaluateExploreExpression } from './explore-expression.js';
import { MAX_EXPLORE_VALUES } from './python-arithmetic.js';

export { MAX_EXPLORE_VALUES };

export type ExploreValue = string | number | boolean;
export type Dimension = [name: string, values: ExploreValue[]];

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * The values of dimension `name`: a list (from JSON/YAML) as it is, its items strings, finite
 * numbers or booleans; a number or boolean as a one-element list; a string as an expression
 * (list literal, range(), start:stop[:step], a comprehension; a lone scalar gives one value).
 */
export function evaluateDimension(name: string, value: unknown): ExploreValue[] {
  if (Array.isArray(value)) {
    if (value.length > MAX_EXPLORE_VALUES) {
      throw new CmError(
        'bad-input',
        `explore.${name} has ${value.length} values; at most ${MAX_EXPLORE_VALUES} are allowed`,
      );
    }
    value.forEach((item: unknown, k) => {
      const ok =
        typeof item === 'string' ||
        typeof item === 'boolean' ||
        (typeof item === 'number' && Number.isFinite(item));
      if (!ok) {
        throw new CmError(
          'bad-input',
          `explore.${name}: item ${k + 1} is ${kindOf(item)}; a dimension takes strings, numbers and booleans`,
          {
            hint: `write explore.${name} as a flat list of values`,
          },
        );
      }
    });
    return [...(value as ExploreValue[])];
  }
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
    return [value];
  if (typeof value !== 'string') {
    throw new CmError(
      'bad-input',
      `explore.${name} is ${kindOf(value)}; it must be a list or an expression string`,
      {
        hint: `supported forms: ${EXPLORE_FORMS}`,
      },
    );
  }
  try {
    return evaluateExploreExpression(value);
  } catch (e) {
    if (e instanceof ExploreFault) throw exploreError(name, e);
    throw e;
  }
}

/**
 * Python's repr of a float (the shortest round-trip digits, exponent form below 1e-4 and from
 * 1e16): JavaScript finds the same digits, only the layout differs.
 */
function pythonFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const [mantissa, exp] = v.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 16)
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(v);
}

/**
 * How a value goes into the step env (`env[VAR]`), as CM's Python `str()` writes it: booleans
 * True/False, strings as they are, whole numbers as integers in full ("8", never "8.0", and
 * 2**70 as all 22 digits, as Python's int), other numbers as Python's float repr ("0.5",
 * "1e-05", "1.5e+16"). JavaScript has one number type, so a Python float that is whole (4/2 gives
 * 2.0 there) is written "2" here.
 */
export function formatExploreValue(v: ExploreValue): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return BigInt(v).toString();
  return pythonFloat(v);
}

/**
 * One ordered list of dimensions: the file's first, in order, then the inline ones; an inline
 * name already present keeps its place and takes the inline value (a later duplicate wins).
 */
export function mergeDimensions<T>(
  fromFile: ReadonlyArray<readonly [string, T]>,
  inline: ReadonlyArray<readonly [string, string]>,
): Array<[string, T | string]> {
  const out: Array<[string, T | string]> = [];
  const index = new Map<string, number>();
  for (const [name, value] of [...fromFile, ...inline]) {
    const at = index.get(name);
    if (at === undefined) {
      index.set(name, out.length);
      out.push([name, value]);
    } else {
      out[at] = [name, value];
    }
  }
  return out;
}

/** How many points the exploration has: 1 with no dimensions, 0 when any dimension is empty. */
export function countPoints(
  dims: ReadonlyArray<readonly [string, readonly ExploreValue[]]>,
): number {
  return dims.reduce((n, [, values]) => n * values.length, 1);
}

/**
 * The points of the Cartesian product in odometer order: the LAST dimension varies fastest.
 * No dimensions give one empty point; an empty dimension gives none.
 */
export function* explorationPoints(
  dims: ReadonlyArray<readonly [string, readonly ExploreValue[]]>,
): Generator<Record<string, ExploreValue>> {
  if (dims.some(([, values]) => values.length === 0)) return;
  const index = dims.map(() => 0);
  for (;;) {
    // fromEntries defines own properties, so a dimension named __proto__ is only data.
    yield Object.fromEntries(dims.map(([name, values], d) => [name, values[index[d]!]!]));
    let d = dims.length - 1;
    while (d >= 0 && ++index[d]! === dims[d]![1].length) index[d--] = 0;
    if (d < 0) return;
  }
}
