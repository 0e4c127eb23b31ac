// The search space of an autotuning run, as declared under `space:` in an experiment's input file:
// an ordered map VAR → dimension (choices, integer range, on/off flag), its size, and its points in
// odometer order. Parsing collects every problem before failing once; nothing here runs anything.
import { CmError } from '../../errors.js';

/** A value a dimension can take (it becomes the step's env variable, stringified). */
export type SpaceValue = string | number | boolean;

/** One dimension, named after the variable it sets. */
export type Dimension =
  | { readonly name: string; readonly kind: 'choices'; readonly values: readonly SpaceValue[] }
  /** Whole numbers min, min+step, ... up to max (inclusive when reached). */
  | {
      readonly name: string;
      readonly kind: 'range';
      readonly min: number;
      readonly max: number;
      readonly step: number;
    }
  /** On/off: the flag itself, then "" (the empty string adds nothing to a command line). */
  | { readonly name: string; readonly kind: 'flag'; readonly flag: string };

/** Dimensions in declaration order; the last one varies fastest in odometer order. */
export interface SearchSpace {
  readonly dimensions: readonly Dimension[];
}

/** One point: the index into each dimension, and the values they select, by variable name. */
export interface Point {
  readonly coords: readonly number[];
  readonly values: Readonly<Record<string, SpaceValue>>;
}

interface SpaceProblem {
  key: string;
  message: string;
  hint?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYS = ['choices', 'range', 'step', 'flag'];
const EXAMPLE = 'OPT: [-O1, -O2, -O3], UNROLL: {flag: -funroll-loops}, N: {range: [1, 8], step: 1}';

/**
 * The space declared by `spec` (the value of `space:`), `where` naming it in messages
 * (`"tune.yaml: space"`). Throws one `bad-input` error listing every problem.
 */
export function parseSearchSpace(spec: unknown, where: string): SearchSpace {
  if (!isRecord(spec))
    throw new CmError('bad-input', `${where} must be a map of VAR: dimension`, {
      hint: `declare e.g. ${EXAMPLE}`,
    });
  const problems: SpaceProblem[] = [];
  const dimensions: Dimension[] = [];
  for (const [name, written] of Object.entries(spec)) {
    const key = `${where}.${name}`;
    if (!NAME.test(name))
      problems.push({
        key,
        message: `${key}: "${name}" cannot be an environment variable name`,
        hint: 'use letters, digits and _ (not starting with a digit)',
      });
    const dimension = parseDimension(name, written, key, problems);
    if (dimension) dimensions.push(dimension);
  }
  if (Object.keys(spec).length === 0)
    problems.push({ key: where, message: `${where} declares no variable`, hint: EXAMPLE });
  if (problems.length === 0 && size({ dimensions }) > Number.MAX_SAFE_INTEGER)
    problems.push({
      key: where,
      message: `${where} has more than 2^53 points`,
      hint: 'use fewer or smaller dimensions',
    });
  if (problems.length > 0) throw spaceError(where, problems);
  return { dimensions };
}

function parseDimension(
  name: string,
  written: unknown,
  key: string,
  problems: SpaceProblem[],
): Dimension | undefined {
  if (Array.isArray(written)) return parseChoices(name, written, key, problems);
  if (!isRecord(written)) {
    problems.push({
      key,
      message: `${key} must be a list of choices, {choices: [...]}, {range: [min, max]} or {flag: "-f..."}`,
      hint: `e.g. ${EXAMPLE}`,
    });
    return undefined;
  }
  const unknown = Object.keys(written).filter((k) => !KEYS.includes(k));
  for (const k of unknown)
    problems.push({
      key: `${key}.${k}`,
      message: `${key}.${k} is not a dimension key`,
      hint: `a dimension has one of: choices, range (with step), flag`,
    });
  const kinds = ['choices', 'range', 'flag'].filter((k) => k in written);
  if (kinds.length !== 1) {
    problems.push({
      key,
      message:
        kinds.length === 0
          ? `${key} declares no choices, range or flag`
          : `${key} declares ${kinds.join(' and ')}: a dimension is one of them`,
      hint: `e.g. ${EXAMPLE}`,
    });
    return undefined;
  }
  if ('step' in written && !('range' in written))
    problems.push({ key: `${key}.step`, message: `${key}.step is only for a range` });
  if ('choices' in written) {
    if (Array.isArray(written.choices))
      return parseChoices(name, written.choices, `${key}.choices`, problems);
    problems.push({ key: `${key}.choices`, message: `${key}.choices must be a list of values` });
    return undefined;
  }
  if ('range' in written) return parseRange(name, written, key, problems);
  return parseFlag(name, written.flag, `${key}.flag`, problems);
}

function parseChoices(
  name: string,
  values: unknown[],
  key: string,
  problems: SpaceProblem[],
): Dimension | undefined {
  const before = problems.length;
  if (values.length === 0)
    problems.push({ key, message: `${key} is an empty list`, hint: 'give at least one value' });
  const seen = new Map<string, number>();
  values.forEach((v, i) => {
    if (!isSpaceValue(v)) {
      problems.push({
        key: `${key}[${i}]`,
        message: `${key}[${i}] must be a string, number or boolean (found ${describe(v)})`,
      });
      return;
    }
    const first = seen.get(String(v));
    if (first !== undefined)
      problems.push({
        key: `${key}[${i}]`,
        message: `${key}[${i}] repeats ${key}[${first}] (${JSON.stringify(v)})`,
        hint: 'each choice must be different (as the step env sees it: a string)',
      });
    else seen.set(String(v), i);
  });
  if (problems.length > before) return undefined;
  return { name, kind: 'choices', values: values as SpaceValue[] };
}

function parseRange(
  name: string,
  written: Record<string, unknown>,
  key: string,
  problems: SpaceProblem[],
): Dimension | undefined {
  const before = problems.length;
  const range = written.range;
  const step = written.step ?? 1;
  const bounds =
    Array.isArray(range) && range.length === 2 && range.every(isSafeInteger)
      ? (range as [number, number])
      : undefined;
  if (!bounds)
    problems.push({
      key: `${key}.range`,
      message: `${key}.range must be [min, max] with whole numbers (found ${describe(range)})`,
      hint: 'e.g. range: [1, 16] (max included)',
    });
  else if (bounds[0] > bounds[1])
    problems.push({
      key: `${key}.range`,
      message: `${key}.range has min ${bounds[0]} above max ${bounds[1]}`,
      hint: `write range: [${bounds[1]}, ${bounds[0]}]`,
    });
  if (!isSafeInteger(step) || step < 1)
    problems.push({
      key: `${key}.step`,
      message: `${key}.step must be a whole number >= 1 (found ${describe(step)})`,
    });
  if (problems.length > before || !bounds) return undefined;
  return { name, kind: 'range', min: bounds[0], max: bounds[1], step: step as number };
}

function parseFlag(
  name: string,
  flag: unknown,
  key: string,
  problems: SpaceProblem[],
): Dimension | undefined {
  if (typeof flag === 'string' && flag.trim() !== '') return { name, kind: 'flag', flag };
  problems.push({
    key,
    message: `${key} must be a non-empty string (found ${describe(flag)})`,
    hint: 'e.g. flag: -funroll-loops (the point takes it or "")',
  });
  return undefined;
}

function spaceError(where: string, problems: readonly SpaceProblem[]): CmError {
  const details = { where, problems };
  const [only] = problems;
  if (problems.length === 1 && only)
    return new CmError('bad-input', only.message, {
      ...(only.hint ? { hint: only.hint } : {}),
      details,
    });
  const hints = problems.filter((p) => p.hint).map((p) => `${p.key}: ${p.hint}`);
  return new CmError(
    'bad-input',
    `${where}: ${problems.length} problems:\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
    { ...(hints.length ? { hint: hints.join('\n') } : {}), details },
  );
}

/** How many values `dimension` has. */
export function dimensionSize(dimension: Dimension): number {
  switch (dimension.kind) {
    case 'choices':
      return dimension.values.length;
    case 'range':
      return Math.floor((dimension.max - dimension.min) / dimension.step) + 1;
    case 'flag':
      return 2;
    default: {
      const never: never = dimension;
      throw new Error(`unhandled dimension ${JSON.stringify(never)}`);
    }
  }
}

/** The value at `index` (0-based) of `dimension`. */
export function valueAt(dimension: Dimension, index: number): SpaceValue {
  if (!Number.isInteger(index) || index < 0 || index >= dimensionSize(dimension))
    throw new Error(`index ${index} is outside dimension ${dimension.name}`);
  switch (dimension.kind) {
    case 'choices':
      return dimension.values[index]!;
    case 'range':
      return dimension.min + index * dimension.step;
    case 'flag':
      return index === 0 ? dimension.flag : '';
    default: {
      const never: never = dimension;
      throw new Error(`unhandled dimension ${JSON.stringify(never)}`);
    }
  }
}

/** The number of points: the product of the dimensions' sizes. */
export function size(space: SearchSpace): number {
  return space.dimensions.reduce((n, d) => n * dimensionSize(d), 1);
}

/** The point with `coords` (one index per dimension). */
export function pointOf(space: SearchSpace, coords: readonly number[]): Point {
  if (coords.length !== space.dimensions.length)
    throw new Error(`${coords.length} coordinates for ${space.dimensions.length} dimensions`);
  const values: Record<string, SpaceValue> = {};
  space.dimensions.forEach((d, i) => {
    values[d.name] = valueAt(d, coords[i]!);
  });
  return { coords: [...coords], values };
}

/** The `index`-th point (0-based) in odometer order: the last dimension varies fastest. */
export function pointAt(space: SearchSpace, index: number): Point {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size(space))
    throw new Error(`point ${index} is outside a space of ${size(space)}`);
  const coords = new Array<number>(space.dimensions.length);
  let rest = index;
  for (let i = space.dimensions.length - 1; i >= 0; i--) {
    const n = dimensionSize(space.dimensions[i]!);
    coords[i] = rest % n;
    rest = Math.floor(rest / n);
  }
  return pointOf(space, coords);
}

/** The odometer index of `point`: the inverse of pointAt. */
export function indexOf(space: SearchSpace, point: Point): number {
  return space.dimensions.reduce((index, d, i) => index * dimensionSize(d) + point.coords[i]!, 0);
}

/** A string that two points share exactly when they select the same values. */
export function keyOf(point: Point): string {
  return point.coords.join(',');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSpaceValue(v: unknown): v is SpaceValue {
  return (
    typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
  );
}

function isSafeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  return JSON.stringify(v) ?? typeof v;
}
