// The spec's "fake SUT" (§7), for checking our LoadGen against the official one: a FIFO queue
// served by K workers, each sample taking a fixed service time, completing with the 4-byte
// little-endian float32 of its QSL index. The schedule is computed (a worker's next free time),
// and each completion is delivered when its time has come.
import type { QuerySample, QuerySampleLibrary, SystemUnderTest } from './runtime/api.js';
import { querySamplesComplete } from './runtime/active-test.js';
import { nowNs, sleepUntil } from './runtime/clock.js';

interface Due {
  atNs: bigint;
  sample: QuerySample;
}

export function float32Le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setFloat32(0, value, true);
  return out;
}

export class SyntheticSut implements SystemUnderTest {
  readonly #serviceNs: bigint;
  readonly #freeAt: bigint[];
  #due: Due[] = [];
  #pumping = false;

  constructor(serviceUs: number, workers = 1) {
    this.#serviceNs = BigInt(Math.round(serviceUs * 1000));
    this.#freeAt = Array.from({ length: Math.max(1, workers) }, () => 0n);
  }

  name(): string {
    return 'synthetic SUT';
  }

  issueQuery(samples: readonly QuerySample[]): void {
    const now = nowNs();
    for (const sample of samples) {
      let w = 0;
      for (let k = 1; k < this.#freeAt.length; k++) if (this.#freeAt[k]! < this.#freeAt[w]!) w = k;
      const start = this.#freeAt[w]! > now ? this.#freeAt[w]! : now;
      const atNs = start + this.#serviceNs;
      this.#freeAt[w] = atNs;
      this.#insert({ atNs, sample });
    }
    if (!this.#pumping) void this.#pump();
  }

  flushQueries(): void {}

  /** Keep `#due` ordered by time (most insertions go at the end). */
  #insert(d: Due): void {
    let i = this.#due.length;
    while (i > 0 && this.#due[i - 1]!.atNs > d.atNs) i--;
    this.#due.splice(i, 0, d);
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    let next = 0;
    while (next < this.#due.length) {
      await sleepUntil(this.#due[next]!.atNs);
      const now = nowNs();
      let end = next;
      while (end < this.#due.length && this.#due[end]!.atNs <= now) end++;
      const batch = this.#due.slice(next, end);
      next = end;
      querySamplesComplete(
        batch.map((d) => ({ id: d.sample.id, data: float32Le(d.sample.index) })),
      );
      if (next > 4096) {
        this.#due = this.#due.slice(next);
        next = 0;
      }
    }
    this.#due = [];
    this.#pumping = false;
  }
}

/** A QSL of `total` samples with `performance` of them fitting in memory; loading costs nothing. */
export class SyntheticQsl implements QuerySampleLibrary {
  readonly loads: number[][] = [];
  constructor(
    readonly total = 50_000,
    readonly performance = 1024,
  ) {}
  name(): string {
    return 'synthetic QSL';
  }
  totalSampleCount(): number {
    return this.total;
  }
  performanceSampleCount(): number {
    return this.performance;
  }
  loadSamplesToRam(indices: readonly number[]): void {
    this.loads.push([...indices]);
  }
  unloadSamplesFromRam(): void {}
}
