// Python 3's arithmetic on numbers, for exploration expressions: floor division and modulo that
// follow the divisor's sign, `/` always a float, `**` errors, round() half to even, range().
// JavaScript has one number type, so Python's int/float split is not kept (see formatExploreValue).
import { ExploreFault } from './explore-error.js';

/** Most values one range (and so one dimension) may produce. */
export const MAX_EXPLORE_VALUES = 1_000_000;

function finite(what: string, n: number): number {
  if (!Number.isFinite(n)) throw new ExploreFault(`${what} overflows or is not a real number`);
  return n;
}

export function trueDivide(a: number, b: number): number {
  if (b === 0) throw new ExploreFault('division by zero');
  return finite('/', a / b);
}

/** `a // b`: the floor of the quotient, so -7 // 2 is -4. */
export function floorDivide(a: number, b: number): number {
  if (b === 0) throw new ExploreFault('integer division or modulo by zero');
  return finite('//', Math.floor(a / b)) || 0; // never -0: Python's 0 // -2 is 0
}

/** `a % b` with the sign of b, so -7 % 2 is 1 and 7 % -2 is -1. */
export function modulo(a: number, b: number): number {
  if (b === 0) throw new ExploreFault('integer division or modulo by zero');
  const r = a % b;
  if (r === 0) return 0; // JavaScript's -3 % 3 is -0
  return r < 0 !== b < 0 ? r + b : r;
}

export function power(a: number, b: number): number {
  if (a === 0 && b < 0) throw new ExploreFault('0 cannot be raised to a negative power');
  if (a < 0 && !Number.isInteger(b)) {
    throw new ExploreFault('a negative number raised to a fractional power is complex');
  }
  return finite('**', a ** b);
}

/** `x` (finite, not negative) exactly as numerator / denominator, both powers-of-two based. */
function exactRatio(x: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = biased === 0 ? -1074 : biased - 1075;
  return exponent >= 0 ? [mantissa << BigInt(exponent), 1n] : [mantissa, 1n << BigInt(-exponent)];
}

/**
 * Python's round(): to `digits` decimals (negative: tens, hundreds), half to even, decided on the
 * exact binary value as Python does, so round(2.5) is 2 and round(2.675, 2) is 2.67 (2.675 is
 * 2.67499999… in binary).
 */
export function pythonRound(x: number, digits = 0): number {
  if (!Number.isInteger(digits)) throw new ExploreFault('round() digits must be an integer');
  if (digits > 400) return x;
  if (digits < -400) return 0;
  let [num, den] = exactRatio(Math.abs(x));
  const scale = 10n ** BigInt(Math.abs(digits));
  if (digits >= 0) num *= scale;
  else den *= scale;
  let q = num / den;
  const twiceRest = 2n * (num % den);
  if (twiceRest > den || (twiceRest === den && q % 2n === 1n)) q += 1n;
  const rounded = Number(`${q}e${-digits}`);
  return finite('round()', x < 0 ? -rounded : rounded);
}

/** How many values range(start, stop, step) has. */
export function rangeLength(start: number, stop: number, step: number): number {
  return step > 0
    ? Math.max(0, Math.ceil((stop - start) / step))
    : Math.max(0, Math.ceil((start - stop) / -step));
}

function integers(what: string, args: readonly number[]): void {
  for (const a of args) {
    if (!Number.isSafeInteger(a)) throw new ExploreFault(`${what} takes integers, got ${a}`);
  }
}

/** The values of Python's range(): stop excluded, any non-zero step. */
export function pythonRange(start: number, stop: number, step = 1): number[] {
  integers('range()', [start, stop, step]);
  if (step === 0) throw new ExploreFault('range() step must not be zero');
  return steps(start, rangeLength(start, stop, step), step, 'range()');
}

/** MLCFlow's `start:stop[:step]`: integers, stop INCLUDED, any non-zero step. */
export function inclusiveRange(start: number, stop: number, step = 1): number[] {
  integers('start:stop:step', [start, stop, step]);
  if (step === 0) throw new ExploreFault('the step of start:stop:step must not be zero');
  const count =
    step > 0
      ? stop >= start
        ? Math.floor((stop - start) / step) + 1
        : 0
      : start >= stop
        ? Math.floor((start - stop) / -step) + 1
        : 0;
  return steps(start, count, step, 'start:stop:step');
}

function steps(start: number, count: number, step: number, what: string): number[] {
  if (count > MAX_EXPLORE_VALUES) {
    throw new ExploreFault(
      `${what} gives ${count} values; at most ${MAX_EXPLORE_VALUES} are allowed`,
      {
        hint: 'use a larger step or a smaller range',
      },
    );
  }
  return Array.from({ length: count }, (_, k) => start + k * step);
}
