import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter } from './protobuf-writer.js';
import {
  tinyClassifierLogits,
  tinyClassifierOnnx,
  tinyClassifierWeights,
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
