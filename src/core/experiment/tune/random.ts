// The seeded random numbers of autotuning: xoshiro128** seeded through splitmix32, in 32-bit integer
// arithmetic only, so that one seed gives the same sequence on every platform and Node version.
// Tuning never calls Math.random.

/** A deterministic stream of random numbers. */
export interface Random {
  /** A whole number in [0, 2^32). */
  uint32(): number;
  /** A number in [0, 1) with 53 random bits. */
  float(): number;
  /** A whole number in [0, n), uniform; n is a whole number in [1, 2^53]. */
  below(n: number): number;
}

/** The stream for `seed` (any safe integer; negative seeds and seeds above 2^32 are distinct). */
export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed ${seed} is not a safe integer`);
  const state = seedState(seed);
  const uint32 = (): number => next(state);
  const float = (): number => ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992;
  const below = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`cannot draw below ${n}`);
    if (n > 0x100000000) return Math.floor(float() * n);
    // Rejection sampling: draws at or above the largest multiple of n would favour small results.
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = uint32();
      if (x < limit) return x % n;
    }
  };
  return { uint32, float, below };
}

/** Four words of state from the seed's low and high 32 bits, through splitmix32. */
function seedState(seed: number): Uint32Array {
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x100000000) >>> 0;
  let s = (low ^ Math.imul(high, 0x9e3779b9)) >>> 0;
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    state[i] = (z ^ (z >>> 16)) >>> 0;
  }
  // xoshiro must not start from all zeros (splitmix32 makes that all but impossible; be sure).
  if (state.every((w) => w === 0)) state[0] = 1;
  return state;
}

/** One xoshiro128** step: the output, and the state advanced in place. */
function next(s: Uint32Array): number {
  let [s0, s1, s2, s3] = [s[0]!, s[1]!, s[2]!, s[3]!];
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
  return result;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
