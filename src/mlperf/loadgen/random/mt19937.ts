// The 32-bit Mersenne Twister engine LoadGen draws every random number from (C++ std::mt19937).
// Owns the engine state and its seeding rule only; distributions live in their own modules.

const STATE_SIZE = 624;
const SHIFT_SIZE = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The seed std::mt19937 uses when constructed without one. */
export const DEFAULT_MT_SEED = 5489n;

/**
 * MT19937 with the standard parameters. LoadGen seeds it with 64-bit values; like libstdc++ the
 * engine keeps only the low 32 bits of the seed (x0 = seed mod 2^32).
 */
export class Mt19937 {
  private readonly state = new Uint32Array(STATE_SIZE);
  private index = STATE_SIZE;

  constructor(seed: bigint = DEFAULT_MT_SEED) {
    const state = this.state;
    state[0] = Number(BigInt.asUintN(32, seed));
    for (let i = 1; i < STATE_SIZE; i++) {
      const prev = state[i - 1]!;
      state[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  /** The smallest and largest values `next()` returns. */
  static readonly min = 0;
  static readonly max = 0xffffffff;

  /** The next 32-bit output, an integer in [0, 2^32 - 1]. */
  next(): number {
    if (this.index >= STATE_SIZE) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const state = this.state;
    for (let i = 0; i < STATE_SIZE; i++) {
      const y = (state[i]! & UPPER_MASK) | (state[(i + 1) % STATE_SIZE]! & LOWER_MASK);
      const mag = y & 1 ? MATRIX_A : 0;
      state[i] = state[(i + SHIFT_SIZE) % STATE_SIZE]! ^ (y >>> 1) ^ mag;
    }
    this.index = 0;
  }
}
