import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter } from './protobuf-writer.js';
import {
  RESNET50_ARGMAX,
  RESNET50_INPUT,
  RESNET50_SOFTMAX,
  tinyClassifierLogits,
  tinyClassifierOnnx,
  tinyClassifierPredict,
  tinyClassifierWeights,
  tinyResnet50Onnx,
} from './tiny-classifier.js';

test('varints, strings and nested messages are encoded as protobuf does', () => {
  assert.deepEqual([...new ProtoWriter().int(1, 150).finish()], [0x08, 0x96, 0x01]);
  assert.deepEqual(
    [...new ProtoWriter().string(2, 'testing').finish()],
    [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67],
  );
  assert.deepEqual(
    [...new ProtoWriter().message(3, (m) => m.int(1, 150)).finish()],
    [0x1a, 0x03, 0x08, 0x96, 0x01],
  );
  assert.deepEqual(
    [...new ProtoWriter().int(1, -1).finish()].length,
    11,
    'a negative int64 takes 10 bytes',
  );
});

test('onnxruntime-node loads the model and computes what it says, batched', async (t) => {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (e) {
    return t.skip(`onnxruntime-node is not installed here (${(e as Error).message})`);
  }
  const model = tinyClassifierWeights(10);
  const session = await ort.InferenceSession.create(tinyClassifierOnnx(model));
  const [h, w] = [4, 5];
  const images = [0, 1].map((n) =>
    Float32Array.from({ length: 3 * h * w }, (_, i) => Math.cos(i * 0.37 + n)),
  );
  const batch = new Float32Array(2 * 3 * h * w);
  images.forEach((img, n) => batch.set(img, n * img.length));
  const out = await session.run({ input: new ort.Tensor('float32', batch, [2, 3, h, w]) });
  const logits = out['logits']!;
  assert.deepEqual(logits.dims, [2, 10]);
  images.forEach((img, n) => {
    const want = tinyClassifierLogits(model, img, h, w);
    for (let k = 0; k < 10; k++)
      assert.ok(
        Math.abs((logits.data as Float32Array)[n * 10 + k]! - want[k]!) < 1e-5,
        `image ${n} class ${k}`,
      );
  });
});

test('the resnet50 layout has its names, 1001 classes, an int64 ArgMax and a softmax', async (t) => {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (e) {
    return t.skip(`onnxruntime-node is not installed here (${(e as Error).message})`);
  }
  const model = tinyClassifierWeights(1001);
  const session = await ort.InferenceSession.create(tinyResnet50Onnx());
  assert.deepEqual(session.inputNames, [RESNET50_INPUT]);
  assert.deepEqual(session.outputNames, [RESNET50_ARGMAX, RESNET50_SOFTMAX]);
  const [h, w] = [6, 7];
  const images = [0, 1, 2].map((n) =>
    Float32Array.from({ length: 3 * h * w }, (_, i) => Math.cos(i * 0.11 * (n + 1)) + n),
  );
  const batch = new Float32Array(images.length * 3 * h * w);
  images.forEach((img, n) => batch.set(img, n * img.length));
  const out = await session.run({
    [RESNET50_INPUT]: new ort.Tensor('float32', batch, [images.length, 3, h, w]),
  });
  const argmax = out[RESNET50_ARGMAX]!;
  assert.equal(argmax.type, 'int64');
  assert.deepEqual(argmax.dims, [3]);
  assert.deepEqual(
    [...(argmax.data as BigInt64Array)].map(Number),
    images.map((img) => tinyClassifierPredict(model, img, h, w)),
  );
  const softmax = out[RESNET50_SOFTMAX]!;
  assert.deepEqual(softmax.dims, [3, 1001]);
  const probs = softmax.data as Float32Array;
  images.forEach((img, n) => {
    const row = probs.subarray(n * 1001, (n + 1) * 1001);
    const sum = row.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-4, `image ${n}: probabilities sum to ${sum}`);
    const logits = tinyClassifierLogits(model, img, h, w);
    const best = tinyClassifierPredict(model, img, h, w);
    const want = 1 / logits.reduce((s, l) => s + Math.exp(l - logits[best]!), 0);
    assert.ok(Math.abs(row[best]! - want) < 1e-4, `image ${n}: p(best) ${row[best]} vs ${want}`);
  });
});
