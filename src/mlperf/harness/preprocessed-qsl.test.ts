import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { encodeNpy } from '../dataset/npy.js';
import { PreprocessedQsl } from './preprocessed-qsl.js';

/** A list of `n` images and their .npy files [3, h, w] whose values are the image's number. */
function dataset(n: number, shape: (i: number) => number[] = () => [3, 2, 2]) {
  const dir = mkdtempSync(join(tmpdir(), 'cm-qsl-'));
  let list = '';
  for (let i = 0; i < n; i++) {
    const s = shape(i);
    const data = new Float32Array(s.reduce((a, b) => a * b, 1)).fill(i);
    writeFileSync(join(dir, `img${i}.JPEG.npy`), encodeNpy(s, data));
    list += `img${i}.JPEG ${i * 10}\n`;
  }
  writeFileSync(join(dir, 'val.txt'), list);
  return { dir, datasetList: join(dir, 'val.txt'), preprocessedDir: dir };
}

test('counts the listed images (or the first --count) and defaults the performance count to min(total, 500)', () => {
  const d = dataset(6);
  const qsl = new PreprocessedQsl(d);
  assert.equal(qsl.totalSampleCount(), 6);
  assert.equal(qsl.performanceSampleCount(), 6);
  assert.deepEqual(
    qsl.entries.map((e) => [e.image, e.label]),
    [0, 1, 2, 3, 4, 5].map((i) => [`img${i}.JPEG`, BigInt(i * 10)]),
  );
  const first = new PreprocessedQsl({ ...d, count: 4, performanceSampleCount: 2 });
  assert.equal(first.totalSampleCount(), 4);
  assert.equal(first.performanceSampleCount(), 2);
  assert.equal(new PreprocessedQsl({ ...d, count: 60 }).totalSampleCount(), 6);
});

test('loads the .npy files of the samples asked for and frees them on unload', () => {
  const qsl = new PreprocessedQsl(dataset(4));
  assert.equal(qsl.sampleShape, undefined);
  qsl.loadSamplesToRam([1, 3]);
  assert.deepEqual(qsl.sampleShape, [3, 2, 2]);
  assert.deepEqual([...qsl.sample(3)], new Array(12).fill(3));
  assert.throws(() => qsl.sample(0), /sample 0 is not loaded/);
  qsl.unloadSamplesFromRam([3]);
  assert.throws(() => qsl.sample(3), /not loaded/);
  assert.equal(qsl.sample(1)[0], 1);
});

test('a missing .npy is named by its path before anything loads', () => {
  const d = dataset(3);
  writeFileSync(d.datasetList, 'img0.JPEG 0\nnope.JPEG 1\nimg1.JPEG 2\ngone.JPEG 3\n');
  assert.throws(
    () => new PreprocessedQsl(d),
    (e: unknown) =>
      e instanceof CmError &&
      e.code === 'file-not-found' &&
      e.message.includes(join(d.dir, 'nope.JPEG.npy')) &&
      e.message.includes(join(d.dir, 'gone.JPEG.npy')) &&
      e.message.includes('2 of the 4'),
  );
  assert.equal(new PreprocessedQsl({ ...d, count: 1 }).totalSampleCount(), 1);
});

test('a damaged .npy, a sample of another shape and a bad list are errors naming the file', () => {
  const d = dataset(3, (i) => (i === 2 ? [3, 4, 4] : [3, 2, 2]));
  writeFileSync(join(d.dir, 'img1.JPEG.npy'), 'not numpy');
  const qsl = new PreprocessedQsl(d);
  qsl.loadSamplesToRam([0]);
  assert.throws(
    () => qsl.loadSamplesToRam([1]),
    (e: unknown) => e instanceof CmError && e.message.includes(join(d.dir, 'img1.JPEG.npy')),
  );
  assert.throws(
    () => qsl.loadSamplesToRam([2]),
    (e: unknown) =>
      e instanceof CmError &&
      e.message.startsWith(join(d.dir, 'img2.JPEG.npy')) &&
      e.message.includes('[3, 4, 4] differs from the [3, 2, 2]'),
  );
  writeFileSync(d.datasetList, 'img0.JPEG\n');
  assert.throws(() => new PreprocessedQsl(d), new RegExp(`${d.datasetList}:1`));
  assert.throws(
    () => new PreprocessedQsl({ ...d, datasetList: join(d.dir, 'none.txt') }),
    (e: unknown) => e instanceof CmError && e.code === 'file-not-found',
  );
});
