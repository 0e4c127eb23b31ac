// A small non-cryptographic hash (two interleaved FNV-1a 32-bit lanes → 16 hex characters) for
// cache keys and change signatures: cheap to load and to compute, enough to tell inputs apart.

export class Fnv {
  #a = 0x811c9dc5;
  #b = 0x01000193 ^ 0x5bd1e995;

  update(data: string | Uint8Array): this {
    let a = this.#a;
    let b = this.#b;
    if (typeof data === 'string') {
      for (let i = 0; i < data.length; i++) {
        const c = data.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193);
      }
    } else {
      for (let i = 0; i < data.length; i++) {
        const c = data[i]!;
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193);
      }
    }
    this.#a = a;
    this.#b = b;
    return this;
  }

  hex(): string {
    return (
      (this.#a >>> 0).toString(16).padStart(8, '0') + (this.#b >>> 0).toString(16).padStart(8, '0')
    );
  }
}

export function fnvHex(s: string): string {
  return new Fnv().update(s).hex();
}
