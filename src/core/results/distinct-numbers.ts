// Counting distinct numbers of a column, fast: an open-addressing table that only answers "new
// or seen". The key catalogue counts them over 100,000-row columns, where a Set boxes every
// double it holds and costs about five times as much. (Strings: a Set, whose hash V8 caches.)

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** Murmur3's finaliser: every input bit moves every output bit, so low bits make good slots. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Smallest table; tables double when half full. */
const INITIAL = 16;

/** Distinct numbers under SameValueZero (as a Set: 0 equals -0, NaN equals NaN). */
export class DistinctNumbers {
  #keys = new Float64Array(INITIAL);
  #used = new Uint8Array(INITIAL);
  #size = 0;
  #hasNaN = false;

  get size(): number {
    return this.#size + (this.#hasNaN ? 1 : 0);
  }

  /** Adds `x`; true when it was not there yet. */
  add(x: number): boolean {
    if (Number.isNaN(x)) {
      if (this.#hasNaN) return false;
      this.#hasNaN = true;
      return true;
    }
    if ((this.#size + 1) * 2 > this.#keys.length) this.#grow();
    return this.#insert(x === 0 ? 0 : x);
  }

  #insert(x: number): boolean {
    const mask = this.#keys.length - 1;
    bits[0] = x;
    for (
      let at = mix(words[0]! ^ Math.imul(words[1]!, 0x9e3779b1)) & mask;
      ;
      at = (at + 1) & mask
    ) {
      if (this.#used[at] === 0) {
        this.#used[at] = 1;
        this.#keys[at] = x;
        this.#size++;
        return true;
      }
      if (this.#keys[at] === x) return false;
    }
  }

  #grow(): void {
    const keys = this.#keys;
    const used = this.#used;
    this.#keys = new Float64Array(keys.length * 2);
    this.#used = new Uint8Array(keys.length * 2);
    this.#size = 0;
    for (let i = 0; i < keys.length; i++) if (used[i] === 1) this.#insert(keys[i]!);
  }
}
