import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { isCmError } from '../../core/errors.js';
import { preprocessImageVgg } from './imagenet-preprocess.js';
import { decodeNpy } from './npy.js';
import { preprocessDataset, type PreprocessProgress } from './preprocess-dataset.js';
import { imagenetValName, labelColour, writeSyntheticImages } from './synthetic-images.js';
import { readValMap } from './val-map.js';

const root = mkdtempSync(join(tmpdir(), 'cm-preprocess-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('synthetic images', () => {
  test('are deterministic, of assorted sizes, one small and one greyscale, with a val_map', async () => {
    const a = join(root, 'syn-a');
    const b = join(root, 'syn-b');
    const entries = await writeSyntheticImages({ dir: a, count: 6, labelOf: (i) => 10 + i });
    await writeSyntheticImages({ dir: b, count: 6, labelOf: (i) => 10 + i });
    assert.deepEqual(await readValMap(join(a, 'val_map.txt')), entries);
    assert.equal(entries[0]!.file, 'ILSVRC2012_val_00000001.JPEG');
    assert.equal(entries[5]!.label, 15);
    const metas = [];
    for (const e of entries) {
      assert.deepEqual(readFileSync(join(a, e.file)), readFileSync(join(b, e.file)));
      metas.push(await sharp(join(a, e.file)).metadata());
    }
    assert.ok(metas[0]!.width! > metas[0]!.height!, 'landscape');
    assert.ok(metas[1]!.width! < metas[1]!.height!, 'portrait');
    assert.ok(Math.min(metas[2]!.width!, metas[2]!.height!) < 256, 'small');
    assert.equal(metas[3]!.channels, 1, 'greyscale');
    const other = await writeSyntheticImages({ dir: join(root, 'syn-c'), count: 1, seed: 2 });
    assert.notDeepEqual(
      readFileSync(join(root, 'syn-c', other[0]!.file)),
      readFileSync(join(a, entries[0]!.file)),
    );
  });

  test("an image's channel means follow its label's colour", async () => {
    const dir = join(root, 'syn-colour');
    const entries = await writeSyntheticImages({ dir, count: 3, labelOf: (i) => [7, 400, 7][i]! });
    const means: number[][] = [];
    for (const e of entries) {
      const t = await preprocessImageVgg(join(dir, e.file));
      const plane = 224 * 224;
      means.push(
        [0, 1, 2].map(
          (c) => t.subarray(c * plane, (c + 1) * plane).reduce((s, v) => s + v) / plane,
        ),
      );
    }
    const [r7, g7] = labelColour(7);
    assert.ok(
      Math.abs(means[0]![0]! + 123.68 - r7) < 8 && Math.abs(means[0]![1]! + 116.78 - g7) < 8,
    );
    assert.ok(Math.abs(means[0]![0]! - means[2]![0]!) < 3, 'the same label, the same colour');
    const far = means[0]!.some((m, c) => Math.abs(m - means[1]![c]!) > 30);
    assert.ok(far, 'another label, another colour');
  });
});

describe('preprocessing a dataset', () => {
  test('writes one float32 (3, 224, 224) .npy per image and a val_map of them, in order', async () => {
    const images = join(root, 'images');
    const entries = await writeSyntheticImages({ dir: images, count: 5 });
    const out = join(root, 'out');
    const seen: PreprocessProgress[] = [];
    const r = await preprocessDataset({
      imageDir: images,
      outputDir: out,
      entries,
      threads: 2,
      onProgress: (p) => seen.push(p),
    });
    assert.deepEqual(r, {
      total: 5,
      preprocessed: 5,
      skipped: 0,
      valMap: join(out, 'val_map.txt'),
    });
    assert.deepEqual(
      seen.map((p) => p.done),
      [1, 2, 3, 4, 5],
    );
    assert.equal(
      readFileSync(r.valMap, 'utf8'),
      entries.map((e) => `${e.file} ${e.label}\n`).join(''),
    );
    for (const e of entries) {
      const npy = decodeNpy(readFileSync(join(out, `${e.file}.npy`)), e.file);
      assert.deepEqual(npy.shape, [3, 224, 224]);
      assert.deepEqual(npy.data, await preprocessImageVgg(join(images, e.file)));
    }
    assert.deepEqual(
      readdirSync(out).filter((f) => f.includes('.tmp')),
      [],
    );

    // Resuming: complete files are kept, a truncated one is done again.
    const first = join(out, `${imagenetValName(0)}.npy`);
    const second = join(out, `${imagenetValName(1)}.npy`);
    const before = statSync(first).mtimeMs;
    writeFileSync(second, readFileSync(second).subarray(0, 1000));
    const again = await preprocessDataset({ imageDir: images, outputDir: out, entries });
    assert.deepEqual([again.preprocessed, again.skipped], [1, 4]);
    assert.equal(statSync(first).mtimeMs, before);
    assert.equal(statSync(second).size, statSync(first).size);
  });

  test('NHWC files have the shape (224, 224, 3)', async () => {
    const images = join(root, 'images-nhwc');
    const entries = await writeSyntheticImages({ dir: images, count: 1 });
    const out = join(root, 'out-nhwc');
    await preprocessDataset({ imageDir: images, outputDir: out, entries, layout: 'NHWC' });
    const npy = decodeNpy(readFileSync(join(out, `${entries[0]!.file}.npy`)), 'x');
    assert.deepEqual(npy.shape, [224, 224, 3]);
  });

  test('a corrupt image stops the run with an error naming it; finished files stay', async () => {
    const images = join(root, 'images-bad');
    const entries = await writeSyntheticImages({ dir: images, count: 4 });
    const bad = join(images, entries[2]!.file);
    writeFileSync(bad, 'garbage');
    const out = join(root, 'out-bad');
    await assert.rejects(
      preprocessDataset({ imageDir: images, outputDir: out, entries, threads: 1 }),
      (e) => isCmError(e) && e.code === 'bad-input' && e.message.includes(bad),
    );
    assert.deepEqual(
      readdirSync(out).sort(),
      entries.slice(0, 2).map((e) => `${e.file}.npy`),
    );
  });
});
