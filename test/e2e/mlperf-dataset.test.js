// End-to-end: the ImageNet scripts of the MLPerf resnet50 pipeline through the real CLI, on
// generated JPEGs: get-dataset-imagenet-val with --imagenet_path, get-preprocessed-dataset-imagenet
// (the .npy files, the cache and its keys), and bad input named by path, file and line.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, sandbox } from './helpers.js';
import { writeSyntheticImages } from '../../dist/mlperf/dataset/synthetic-images.js';
import { preprocessImageVgg } from '../../dist/mlperf/dataset/imagenet-preprocess.js';
import { decodeNpy } from '../../dist/mlperf/dataset/npy.js';

const PREPROCESSED = 'get dataset imagenet preprocessed _NCHW';

/** A sandbox with `count` generated images and their val_map.txt in `imgs/`. */
async function withImages(count = 8) {
  const s = sandbox('cm-imagenet-');
  const entries = await writeSyntheticImages({ dir: join(s.dir, 'imgs'), count });
  return { s, entries, images: join(s.dir, 'imgs') };
}

describe('ImageNet scripts', parallel, () => {
  test('preprocesses a folder into float32 (3, 224, 224) .npy files; a second run is a cache hit', async () => {
    const { s, entries, images } = await withImages(8);
    const r = await s.cm('run', 'script', PREPROCESSED, '--imagenet_path=imgs', '--quiet', '-j');
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    const env = out.new_env;
    const dir = env.CM_DATASET_PREPROCESSED_PATH;
    assert.equal(dir, join(out.cache_entry, 'preprocessed'));
    assert.equal(env.CM_DATASET_SIZE, '8');
    assert.equal(env.CM_DATASET_IMAGENET_VAL_PATH, images);
    assert.equal(env.CM_DATASET_IMAGENET_VAL_MAP, join(images, 'val_map.txt'));
    assert.equal(env.CM_DATASET_PREPROCESSED_VAL_MAP, join(dir, 'val_map.txt'));
    assert.equal(env.CM_DATASET_DATA_LAYOUT, 'NCHW');
    assert.equal(
      readFileSync(env.CM_DATASET_PREPROCESSED_VAL_MAP, 'utf8'),
      readFileSync(join(images, 'val_map.txt'), 'utf8'),
    );
    assert.deepEqual(
      readdirSync(dir).sort(),
      [...entries.map((e) => `${e.file}.npy`), 'val_map.txt'].sort(),
    );
    for (const e of entries) {
      const npy = decodeNpy(readFileSync(join(dir, `${e.file}.npy`)), e.file);
      assert.deepEqual(npy.shape, [3, 224, 224]);
      assert.deepEqual(npy.data, await preprocessImageVgg(join(images, e.file)), e.file);
    }
    assert.equal(
      readFileSync(env.CM_DATASET_PREPROCESSED_IMAGES_LIST, 'utf8').split('\n')[0],
      join(dir, `${entries[0].file}.npy`),
    );

    const again = await s.cm(
      'run',
      'script',
      PREPROCESSED,
      '--imagenet_path=imgs',
      '--quiet',
      '-j',
    );
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().tree.cache.status, 'hit');
    assert.equal(again.json().new_env.CM_DATASET_PREPROCESSED_PATH, dir);
    assert.doesNotMatch(again.stderr, /Preprocessing/);
  });

  test('another folder, size or layout is another cache entry; size is at most the images there', async () => {
    const { s } = await withImages(4);
    cpSync(join(s.dir, 'imgs'), join(s.dir, 'copy'), { recursive: true });
    const run = async (...args) => {
      const r = await s.cm('run', 'script', ...args, '--quiet', '--threads=2', '-j');
      assert.equal(r.code, 0, r.stderr);
      return r.json();
    };
    const first = await run(PREPROCESSED, '--imagenet_path=imgs');
    const copy = await run(PREPROCESSED, `--imagenet_path=${join(s.dir, 'copy')}`);
    assert.notEqual(copy.cache_entry, first.cache_entry);
    assert.equal(copy.new_env.CM_DATASET_IMAGENET_VAL_PATH, join(s.dir, 'copy'));
    const two = await run(`${PREPROCESSED} _size.2`, '--imagenet_path=imgs');
    assert.notEqual(two.cache_entry, first.cache_entry);
    assert.equal(two.new_env.CM_DATASET_SIZE, '2');
    assert.equal(readdirSync(two.new_env.CM_DATASET_PREPROCESSED_PATH).length, 3);
    const full = await run('get dataset imagenet preprocessed _full', '--imagenet_path=imgs');
    assert.equal(full.new_env.CM_DATASET_SIZE, '4');
    const nhwc = await run('get dataset imagenet preprocessed _NHWC _1', '--imagenet_path=imgs');
    const [npy] = readdirSync(nhwc.new_env.CM_DATASET_PREPROCESSED_PATH).filter((f) =>
      f.endsWith('.npy'),
    );
    const file = join(nhwc.new_env.CM_DATASET_PREPROCESSED_PATH, npy);
    assert.deepEqual(decodeNpy(readFileSync(file), file).shape, [224, 224, 3]);
  });

  test('get-dataset-imagenet-val alone exports the folder, its val_map and its size', async () => {
    const { s, images } = await withImages(3);
    const r = await s.cm(
      'run',
      'script',
      'get dataset imagenet validation original',
      '--imagenet_path=imgs',
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    const env = r.json().new_env;
    for (const k of ['CM_DATASET_PATH', 'CM_DATASET_IMAGENET_PATH', 'CM_DATASET_IMAGENET_VAL_PATH'])
      assert.equal(env[k], images, k);
    assert.equal(env.CM_DATASET_SIZE, '3');
    assert.equal(env.CM_DATASET_VER, '2012');
    assert.equal(env.CM_DATASET_IMAGENET_VAL_MAP, join(images, 'val_map.txt'));
  });

  test('a val_map naming a missing image: the error names its full path', async () => {
    const { s, images } = await withImages(2);
    writeFileSync(
      join(images, 'val_map.txt'),
      'ILSVRC2012_val_00000001.JPEG 0\nILSVRC2012_val_00000009.JPEG 8\n',
    );
    const r = await s.cm('run', 'script', PREPROCESSED, '--imagenet_path=imgs', '--quiet');
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(join(images, 'ILSVRC2012_val_00000009.JPEG')), r.stderr);
  });

  test('a malformed val_map line: the error names the file and the line', async () => {
    const { s, images } = await withImages(2);
    writeFileSync(
      join(images, 'val_map.txt'),
      'ILSVRC2012_val_00000001.JPEG 0\n\nILSVRC2012_val_00000002.JPEG label\n',
    );
    const r = await s.cm('run', 'script', PREPROCESSED, '--imagenet_path=imgs', '--quiet');
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(`${join(images, 'val_map.txt')}:3:`), r.stderr);
    assert.match(r.stderr, /"ILSVRC2012_val_00000002.JPEG label"/);
  });

  test('a corrupt JPEG: the error names its path', async () => {
    const { s, images, entries } = await withImages(3);
    const bad = join(images, entries[1].file);
    writeFileSync(bad, readFileSync(bad).subarray(0, 20));
    const r = await s.cm('run', 'script', PREPROCESSED, '--imagenet_path=imgs', '--quiet');
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(`cannot decode the image ${bad}`), r.stderr);
  });

  test('without --imagenet_path: a failed download and _full both say to pass one', async () => {
    const s = sandbox('cm-imagenet-');
    const down = await s.cm(
      'run',
      'script',
      'get dataset imagenet validation original',
      '--env.CM_DAE_URL=http://127.0.0.1:9/ILSVRC2012_img_val_500.tar',
      '--env.CM_DOWNLOAD_RETRIES=0',
      '--quiet',
    );
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /cannot get the 500-image ImageNet validation subset/);
    assert.match(down.stderr, /--imagenet_path=DIR/);
    const full = await s.cm(
      'run',
      'script',
      'get dataset imagenet validation original _full',
      '--quiet',
    );
    assert.notEqual(full.code, 0);
    assert.match(full.stderr, /cannot be downloaded automatically/);
    assert.match(full.stderr, /--imagenet_path=DIR/);
    const missing = await s.cm('run', 'script', PREPROCESSED, '--imagenet_path=nowhere', '--quiet');
    assert.equal(missing.code, 16);
    assert.ok(missing.stderr.includes(join(s.dir, 'nowhere')), missing.stderr);
  });
});
