// The SUT of the reference python harness (spec §6.4), over batch runners: LoadGen's queries are
// split into batches of at most maxBatchSize and queued; each idle runner takes the next batch, and
// its samples complete with the class (argmax + offset) as a little-endian float32. A failing
// batch completes its samples with empty data, as the reference does, and is reported once.
import {
  float32Le,
  querySamplesComplete,
  type QuerySample,
  type QuerySampleResponse,
  type SystemUnderTest,
} from '../loadgen/index.js';
import type { BatchRunner } from './inference-engine.js';

/** Where the SUT reads the loaded samples from (the QSL). */
export interface SampleSource {
  sample(index: number): Float32Array;
  readonly sampleShape: readonly number[] | undefined;
}

/** The first failed batch of a test. */
export interface InferenceFailure {
  message: string;
  indices: number[];
}

export interface OnnxSutOptions {
  samples: SampleSource;
  runners: readonly BatchRunner[];
  maxBatchSize: number;
  /** Added to the model's class index: -1 for resnet50 (class 0 is "background"). */
  classOffset: number;
  /** Called once, on the first failure. */
  onFailure?: (failure: InferenceFailure) => void;
  /** LoadGen's querySamplesComplete unless given (tests). */
  complete?: (responses: readonly QuerySampleResponse[]) => void;
  name?: string;
}

/** Forget the queue's served head once it is this long (and half the array). */
const COMPACT_AT = 1024;

export class OnnxSut implements SystemUnderTest {
  readonly #o: OnnxSutOptions;
  readonly #complete: (responses: readonly QuerySampleResponse[]) => void;
  readonly #idle: BatchRunner[];
  #queue: QuerySample[][] = [];
  #head = 0;
  /** Samples completed with empty data because their batch failed. */
  failedSamples = 0;
  firstFailure: InferenceFailure | undefined;
  batchesRun = 0;

  constructor(options: OnnxSutOptions) {
    if (options.runners.length === 0) throw new Error('the SUT needs at least one runner');
    this.#o = options;
    this.#complete = options.complete ?? querySamplesComplete;
    this.#idle = [...options.runners].reverse();
  }

  name(): string {
    return this.#o.name ?? 'onnxruntime-node SUT';
  }

  get maxBatchSize(): number {
    return Math.max(1, this.#o.maxBatchSize);
  }

  issueQuery(samples: readonly QuerySample[]): void {
    const size = this.maxBatchSize;
    for (let i = 0; i < samples.length; i += size) this.#queue.push(samples.slice(i, i + size));
    this.#dispatch();
  }

  /** Batches never wait for more samples, so there is nothing to drain; dispatch what is queued. */
  flushQueries(): void {
    this.#dispatch();
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#head < this.#queue.length) {
      const runner = this.#idle.pop()!;
      const batch = this.#queue[this.#head++]!;
      void this.#run(runner, batch);
    }
    if (this.#head >= COMPACT_AT && this.#head * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  async #run(runner: BatchRunner, batch: QuerySample[]): Promise<void> {
    let responses: QuerySampleResponse[];
    try {
      const { data, dims } = this.#assemble(runner, batch);
      const classes = await runner.classify(data, dims);
      responses = batch.map((s, i) => ({
        id: s.id,
        data: float32Le(classes[i]! + this.#o.classOffset),
      }));
    } catch (e) {
      responses = batch.map((s) => ({ id: s.id, data: new Uint8Array(0) }));
      this.#fail(e as Error, batch);
    }
    this.batchesRun++;
    this.#complete(responses);
    this.#idle.push(runner);
    this.#dispatch();
  }

  /** The samples of a batch, copied side by side into one [N, ...shape] array (the runner's spare). */
  #assemble(
    runner: BatchRunner,
    batch: readonly QuerySample[],
  ): { data: Float32Array; dims: number[] } {
    const shape = this.#o.samples.sampleShape;
    if (shape === undefined) throw new Error('no sample is loaded');
    const size = shape.reduce((a, b) => a * b, 1);
    const spare = runner.takeSpare?.();
    const data =
      spare === undefined || spare.length < batch.length * size
        ? new Float32Array(batch.length * size)
        : spare.subarray(0, batch.length * size);
    batch.forEach((s, i) => data.set(this.#o.samples.sample(s.index), i * size));
    return { data, dims: [batch.length, ...shape] };
  }

  #fail(e: Error, batch: readonly QuerySample[]): void {
    this.failedSamples += batch.length;
    if (this.firstFailure !== undefined) return;
    this.firstFailure = { message: e.message, indices: batch.map((s) => s.index) };
    this.#o.onFailure?.(this.firstFailure);
  }
}
