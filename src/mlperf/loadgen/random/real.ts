// Real-valued draws as libstdc++ produces them from a 32-bit engine: generate_canonical<double>,
// uniform_real_distribution and exponential_distribution.

import type { Mt19937 } from './mt19937.js';

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_64 = TWO_POW_32 * TWO_POW_32;
/** The largest double below 1 (std::nextafter(1.0, 0.0)). */
const BELOW_ONE = 1 - Number.EPSILON / 2;

/**
 * A double in [0, 1): two engine words a then b, (a + b * 2^32) / 2^64 in double arithmetic,
 * clamped below 1 as libstdc++ does when rounding reaches 1.
 */
export function generateCanonical(rng: Mt19937): number {
  const a = rng.next();
  const b = rng.next();
  const u = (a + b * TWO_POW_32) / TWO_POW_64;
  return u >= 1 ? BELOW_ONE : u;
}

/** A double uniform in [a, b): (b - a) * canonical + a. */
export function uniformReal(rng: Mt19937, a: number, b: number): number {
  return (b - a) * generateCanonical(rng) + a;
}

/** An exponential draw with rate `lambda`: -ln(1 - canonical) / lambda. */
export function exponential(rng: Mt19937, lambda: number): number {
  return -Math.log(1 - generateCanonical(rng)) / lambda;
}

/** Seconds (double) to whole nanoseconds, truncated toward zero like std::chrono::duration_cast. */
export function secondsToNs(seconds: number): bigint {
  return BigInt(Math.trunc(seconds * 1e9));
}
