// Samples in flight and their completions: the completion time is taken on entry of
// querySamplesComplete (spec §1.1), latencies are counted from the query's scheduled time, a
// sample completed twice or never issued is an error entry (not a crash), and waiting for "all
// done" or "this query done" is a promise.
import type { AccuracyEntry } from '../logs/accuracy-log.js';

export interface InFlightQuery {
  scheduledNs: bigint;
  remaining: number;
  /** Set when its last sample completes: that time minus scheduledNs. */
  latencyNs?: bigint;
  doneAtNs?: bigint;
  resolve?: () => void;
}

export type { AccuracyEntry };

interface InFlightSample {
  query: InFlightQuery;
  seqId: number;
  index: number;
  logged: boolean;
}

/**
 * Response ids already completed, one bit each (ids are sequence ids + 1, dense from 1). A Set
 * rehashed at every power of two and put a pause of a millisecond into the run there.
 */
class CompletedIds {
  #bits = new Uint8Array(1024);

  has(id: number): boolean {
    const byte = id >>> 3;
    return Number.isSafeInteger(id) && id >= 0 && byte < this.#bits.length
      ? (this.#bits[byte]! & (1 << (id & 7))) !== 0
      : false;
  }

  add(id: number): void {
    const byte = id >>> 3;
    if (byte >= this.#bits.length) {
      const bigger = new Uint8Array(Math.max(this.#bits.length * 2, byte + 1));
      bigger.set(this.#bits);
      this.#bits = bigger;
    }
    this.#bits[byte]! |= 1 << (id & 7);
  }
}

export class Completions {
  readonly sampleLatenciesNs: bigint[] = [];
  readonly accuracy: AccuracyEntry[] = [];
  readonly errors: string[] = [];
  #inFlight = new Map<number, InFlightSample>();
  #done = new CompletedIds();
  #allDone: (() => void) | undefined;
  /** Queries whose last sample has completed, over every series of the test. */
  queriesDone = 0;

  add(id: number, query: InFlightQuery, seqId: number, index: number, logged: boolean): void {
    this.#inFlight.set(id, { query, seqId, index, logged });
  }

  /** The SUT's completions, `atNs` taken by the caller before anything else. */
  complete(atNs: bigint, responses: ReadonlyArray<{ id: number; data?: Uint8Array }>): void {
    for (const r of responses) {
      const s = this.#inFlight.get(r.id);
      if (!s) {
        this.errors.push(
          this.#done.has(r.id)
            ? 'Attempted to complete a sample twice.'
            : 'Received completion for an old sample.',
        );
        continue;
      }
      this.#inFlight.delete(r.id);
      this.#done.add(r.id);
      this.sampleLatenciesNs.push(atNs - s.query.scheduledNs);
      if (s.logged)
        this.accuracy.push({
          seqId: BigInt(s.seqId),
          qslIdx: s.index,
          data: Uint8Array.from(r.data ?? []),
        });
      if (--s.query.remaining === 0) {
        this.queriesDone++;
        s.query.latencyNs = atNs - s.query.scheduledNs;
        s.query.doneAtNs = atNs;
        s.query.resolve?.();
      }
    }
    if (this.#inFlight.size === 0) this.#allDone?.();
  }

  /** Resolves once `q` has completed. */
  queryDone(q: InFlightQuery): Promise<void> {
    if (q.remaining === 0) return Promise.resolve();
    return new Promise((resolve) => (q.resolve = resolve));
  }

  /** Resolves once nothing is in flight. */
  allDone(): Promise<void> {
    if (this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#allDone = resolve));
  }
}
