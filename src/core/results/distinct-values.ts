// Counting distinct values of a column, fast: open-addressing tables that only answer "new or
// seen". The key catalogue counts them over 100,000-row columns, where a Set boxes every
// double it holds and costs about three times as much per unique string.

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

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
    let at = Math.imul(words[0]! ^ Math.imul(words[1]!, 0x85ebca6b), 0x9e3779b1) >>> 0;
    for (;;) {
      at &= mask;
      if (this.#used[at] === 0) {
        this.#used[at] = 1;
        this.#keys[at] = x;
        this.#size++;
        return true;
      }
      if (this.#keys[at] === x) return false;
      at++;
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

/** FNV-1a over the UTF-16 code units. */
function hashText(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** Distinct strings. */
export class DistinctTexts {
  #keys: Array<string | undefined> = new Array<string | undefined>(INITIAL).fill(undefined);
  #hashes = new Int32Array(INITIAL);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `s`; true when it was not there yet. */
  add(s: string): boolean {
    if ((this.#size + 1) * 2 > this.#keys.length) this.#grow();
    return this.#insert(s, hashText(s));
  }

  #insert(s: string, hash: number): boolean {
    const mask = this.#keys.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const key = this.#keys[at];
      if (key === undefined) {
        this.#keys[at] = s;
        this.#hashes[at] = hash;
        this.#size++;
        return true;
      }
      if (this.#hashes[at] === hash && key === s) return false;
    }
  }

  #grow(): void {
    const keys = this.#keys;
    const hashes = this.#hashes;
    this.#keys = new Array<string | undefined>(keys.length * 2).fill(undefined);
    this.#hashes = new Int32Array(keys.length * 2);
    this.#size = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key !== undefined) this.#insert(key, hashes[i]!);
    }
  }
}
