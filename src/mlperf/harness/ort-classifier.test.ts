import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import {
  tinyClassifierOnnx,
  tinyClassifierPredict,
  tinyClassifierWeights,
  tinyResnet50Onnx,
} from '../onnx/tiny-classifier.js';
import { startInferenceEngine } from './inference-engine.js';
import {
  classifierInfo,
  openClassifier,
  readClasses,
  type ClassifierInfo,
} from './ort-classifier.js';

const tensor = (name: string, type: 'float32' | 'int64' = 'float32') =>
  ({ name, isTensor: true, type, shape: ['N', 3, 224, 224] }) as const;

test('the input is input_tensor:0 or the only one; ArgMax:0 is the output when present', () => {
  assert.deepEqual(
    classifierInfo('m', [tensor('mask'), tensor('input_tensor:0')], ['softmax', 'ArgMax:0']),
    { input: 'input_tensor:0', inputShape: ['N', 3, 224, 224], output: 'ArgMax:0', isArgMax: true },
  );
  const plain = classifierInfo('m', [tensor('images')], ['logits', 'probs']);
  assert.equal(plain.input, 'images');
  assert.equal(plain.output, 'logits');
  assert.equal(plain.isArgMax, false);
  assert.throws(
    () => classifierInfo('m.onnx', [tensor('a'), tensor('b')], ['x']),
    /m.onnx: the model has 2 inputs \(a, b\)/,
  );
  assert.throws(
    () => classifierInfo('m.onnx', [tensor('ids', 'int64')], ['x']),
    /int64, not float32/,
  );
});

test('classes are the ArgMax values, or the argmax of each row of scores (first on ties)', () => {
  const argmax: ClassifierInfo = { input: 'i', inputShape: [], output: 'ArgMax:0', isArgMax: true };
  assert.deepEqual([...readClasses(argmax, BigInt64Array.from([5n, 0n]), [2], 2)], [5, 0]);
  assert.throws(
    () => readClasses(argmax, BigInt64Array.from([5n]), [1], 2),
    /1 values \[1\] for 2/,
  );
  const scores: ClassifierInfo = { ...argmax, output: 'logits', isArgMax: false };
  const rows = Float32Array.from([0.1, 0.7, 0.2, 3, 1, 3]);
  assert.deepEqual([...readClasses(scores, rows, [2, 3], 2)], [1, 0]);
  assert.throws(() => readClasses(scores, rows, [3, 2], 2), CmError);
});

test('a session classifies batches as the model computes, in both layouts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-ort-'));
  const model = tinyClassifierWeights(1001);
  const [h, w] = [4, 6];
  const images = [0, 1, 2, 3].map((n) =>
    Float32Array.from(
      { length: 3 * h * w },
      (_, i) => Math.round(64 * Math.cos(i * 0.3 + n * 1.7)) / 64,
    ),
  );
  const batch = new Float32Array(images.length * 3 * h * w);
  images.forEach((img, n) => batch.set(img, n * img.length));
  const want = images.map((img) => tinyClassifierPredict(model, img, h, w));
  for (const [name, bytes] of [
    ['resnet50.onnx', tinyResnet50Onnx(model)],
    ['plain.onnx', tinyClassifierOnnx(model)],
  ] as const) {
    writeFileSync(join(dir, name), bytes);
    const c = await openClassifier({ modelPath: join(dir, name), threads: 1, device: 'cpu' });
    assert.deepEqual([...(await c.classify(batch.slice(), [4, 3, h, w]))], want, name);
    await c.close();
  }
});

test('a missing or corrupt model is an error naming it and saying what onnxruntime said', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-ort-'));
  const missing = join(dir, 'none.onnx');
  await assert.rejects(
    openClassifier({ modelPath: missing, threads: 1, device: 'cpu' }),
    (e: unknown) =>
      e instanceof CmError &&
      e.code === 'file-not-found' &&
      e.message.includes(missing) &&
      /doesn't exist/.test(e.message),
  );
  const corrupt = join(dir, 'corrupt.onnx');
  writeFileSync(
    corrupt,
    Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919) % 251),
  );
  for (const workers of [0, 1])
    await assert.rejects(
      startInferenceEngine({ modelPath: corrupt, threads: 1, device: 'cpu' }, workers),
      (e: unknown) =>
        e instanceof CmError &&
        e.code === 'bad-input' &&
        e.message.includes(`onnxruntime cannot load the model ${corrupt}: `) &&
        /protobuf/i.test(e.message),
      `workers ${workers}`,
    );
});

test('worker threads each run a session and give the same classes as the main thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-ort-'));
  writeFileSync(join(dir, 'm.onnx'), tinyResnet50Onnx());
  const settings = { modelPath: join(dir, 'm.onnx'), threads: 1, device: 'cpu' } as const;
  const inline = await startInferenceEngine(settings, 0);
  const pool = await startInferenceEngine(settings, 2);
  try {
    assert.equal(inline.runners.length, 1);
    assert.equal(pool.runners.length, 2);
    assert.deepEqual(pool.info, inline.info);
    const batch = Float32Array.from({ length: 2 * 3 * 5 * 5 }, (_, i) => Math.sin(i));
    const want = [...(await inline.runners[0]!.classify(batch.slice(), [2, 3, 5, 5]))];
    const got = await Promise.all(pool.runners.map((r) => r.classify(batch.slice(), [2, 3, 5, 5])));
    for (const g of got) assert.deepEqual([...g], want);
    await assert.rejects(pool.runners[0]!.classify(new Float32Array(7), [1, 7]), /input_tensor/i);
  } finally {
    await inline.close();
    await pool.close();
  }
});
