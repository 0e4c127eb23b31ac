// Integers uniform in [a, b] drawn exactly as libstdc++ (GCC >= 11) std::uniform_int_distribution
// does from a 32-bit engine: Lemire's multiply-and-reject when the range fits in 32 bits, the
// libstdc++ upscaling loop when it does not.

import { Mt19937 } from './mt19937.js';

const TWO_POW_32 = 0x1_0000_0000;
const ENGINE_RANGE = Mt19937.max - Mt19937.min;

/**
 * One draw in [a, b] (both inclusive, a <= b, b - a < 2^53). Consumes engine outputs exactly as
 * libstdc++ does, so sequences match a C++ LoadGen built with GCC >= 11.
 */
export function uniformInt(rng: Mt19937, a: number, b: number): number {
  if (
    !Number.isSafeInteger(a) ||
    !Number.isSafeInteger(b) ||
    b < a ||
    b - a > Number.MAX_SAFE_INTEGER
  ) {
    throw new Error(`uniformInt: bad range [${a}, ${b}]`);
  }
  const range = b - a;
  if (range < ENGINE_RANGE) return a + downscale(rng, range + 1);
  if (range === ENGINE_RANGE) return a + rng.next();
  return a + upscale(rng, range);
}

/** Lemire's method: n = range size (1 <= n < 2^32); r * n split in a high and a low 32-bit word. */
function downscale(rng: Mt19937, n: number): number {
  let r = rng.next();
  let { high, low } = multiply32(r, n);
  if (low < n) {
    const threshold = (TWO_POW_32 - n) % n;
    while (low < threshold) {
      r = rng.next();
      ({ high, low } = multiply32(r, n));
    }
  }
  return high;
}

/** The exact 64-bit product of two 32-bit unsigned integers, as its two 32-bit halves. */
function multiply32(r: number, n: number): { high: number; low: number } {
  const low = Math.imul(r, n) >>> 0;
  const upperPart = Math.floor(r / 0x10000) * n; // < 2^48, exact
  const lowerPart = (r % 0x10000) * n; // < 2^48, exact
  const carry = (upperPart % 0x10000) * 0x10000 + lowerPart; // < 2^49, exact
  const high = Math.floor(upperPart / 0x10000) + Math.floor(carry / TWO_POW_32);
  return { high, low };
}

/** Ranges wider than the engine: combine a recursive draw for the high part with one engine word. */
function upscale(rng: Mt19937, range: number): number {
  for (;;) {
    const high = uniformInt(rng, 0, Math.floor(range / TWO_POW_32)) * TWO_POW_32;
    const value = high + rng.next();
    if (value <= range) return value;
  }
}
