import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QuerySample, QuerySampleResponse } from '../loadgen/index.js';
import type { BatchRunner } from './inference-engine.js';
import { OnnxSut, type InferenceFailure } from './onnx-sut.js';

/** Samples [1, 1, 1] whose one value is 10 × the index; the fake model's class is that value. */
const samples = {
  sampleShape: [1, 1, 1],
  sample: (index: number) => Float32Array.of(index * 10),
};

/** A runner that answers after a tick, recording its batches and how many ran at once. */
function fakeRunners(k: number, fail?: (batch: Float32Array) => boolean) {
  const log = { batches: [] as number[][], running: 0, maxRunning: 0 };
  const runners: BatchRunner[] = Array.from({ length: k }, () => ({
    async classify(batch: Float32Array, dims: readonly number[]) {
      log.batches.push([...batch]);
      assert.deepEqual(dims, [batch.length, 1, 1, 1]);
      log.maxRunning = Math.max(log.maxRunning, ++log.running);
      await new Promise((r) => setTimeout(r, 2));
      log.running--;
      if (fail?.(batch)) throw new Error('out of memory');
      return Int32Array.from(batch);
    },
  }));
  return { runners, log };
}

function query(indices: number[]): QuerySample[] {
  return indices.map((index) => ({ id: 1000 + index, index }));
}

/** Runs the SUT until `count` samples completed; the responses in completion order. */
async function collect(
  sut: (done: (r: readonly QuerySampleResponse[]) => void) => void,
  count: number,
) {
  const out: QuerySampleResponse[] = [];
  await new Promise<void>((resolve) =>
    sut((r) => {
      out.push(...r);
      if (out.length === count) resolve();
    }),
  );
  return out;
}

const float32 = (r: QuerySampleResponse): number =>
  new DataView(r.data!.buffer, r.data!.byteOffset).getFloat32(0, true);

test('a query splits into batches of at most max-batchsize, run by the runners side by side', async () => {
  const { runners, log } = fakeRunners(2);
  const out = await collect((complete) => {
    const sut = new OnnxSut({ samples, runners, maxBatchSize: 4, classOffset: -1, complete });
    sut.issueQuery(query([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    sut.flushQueries();
  }, 10);
  assert.deepEqual(
    log.batches.map((b) => b.length),
    [4, 4, 2],
  );
  assert.equal(log.maxRunning, 2);
  assert.deepEqual(
    out.map((r) => [r.id, float32(r)]).sort((a, b) => a[0]! - b[0]!),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => [1000 + i, i * 10 - 1]),
  );
  assert.deepEqual([...out[0]!.data!].length, 4, 'a float32');
});

test('queries of one sample each (SingleStream, Server) run one at a time per runner, in order', async () => {
  const { runners, log } = fakeRunners(1);
  const out = await collect((complete) => {
    const sut = new OnnxSut({ samples, runners, maxBatchSize: 32, classOffset: 0, complete });
    for (const i of [5, 3, 8]) sut.issueQuery(query([i]));
  }, 3);
  assert.deepEqual(log.batches, [[50], [30], [80]]);
  assert.equal(log.maxRunning, 1);
  assert.deepEqual(out.map(float32), [50, 30, 80]);
});

test('a failing batch completes its samples with no data and is reported once', async () => {
  const { runners } = fakeRunners(1, (batch) => batch[0] !== 0);
  const failures: InferenceFailure[] = [];
  let sut!: OnnxSut;
  const out = await collect((complete) => {
    sut = new OnnxSut({
      samples,
      runners,
      maxBatchSize: 2,
      classOffset: -1,
      complete,
      onFailure: (f) => failures.push(f),
    });
    sut.issueQuery(query([0, 1, 2, 3, 4]));
  }, 5);
  assert.deepEqual(failures, [{ message: 'out of memory', indices: [2, 3] }]);
  assert.equal(sut.failedSamples, 3);
  assert.equal(sut.batchesRun, 3);
  assert.deepEqual(
    out.map((r) => [r.id, r.data!.length]),
    [
      [1000, 4],
      [1001, 4],
      [1002, 0],
      [1003, 0],
      [1004, 0],
    ],
  );
});

test("a runner's spare buffer is filled with its next batch instead of a new one", async () => {
  const seen: ArrayBufferLike[] = [];
  let spare: Float32Array | undefined;
  const runner: BatchRunner = {
    async classify(batch) {
      seen.push(batch.buffer);
      await new Promise((r) => setTimeout(r, 1));
      spare = new Float32Array(batch.buffer);
      return Int32Array.from(batch);
    },
    takeSpare: () => spare,
  };
  const out = await collect((complete) => {
    const sut = new OnnxSut({
      samples,
      runners: [runner],
      maxBatchSize: 3,
      classOffset: 0,
      complete,
    });
    sut.issueQuery(query([1, 2, 3, 4, 5]));
  }, 5);
  assert.equal(seen.length, 2);
  assert.equal(seen[1], seen[0], 'the same buffer');
  assert.deepEqual(out.map(float32), [10, 20, 30, 40, 50]);
});
