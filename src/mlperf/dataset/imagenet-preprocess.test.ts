import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { isCmError } from '../../core/errors.js';
import { jpegColour } from './image-decode.js';
import {
  IMAGENET_MEANS,
  aspectResizeSize,
  centerCropOffsets,
  cropAndNormalize,
  preprocessImageVgg,
  preprocessPixelsVgg,
} from './imagenet-preprocess.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-vgg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PLANE = 224 * 224;
const f = Math.fround;

describe('vgg preprocessing', () => {
  test('the short side becomes 256 and the long side int(256 * long / short)', () => {
    const cases: Array<[number, number, number, number]> = [
      [500, 375, 341, 256],
      [375, 500, 256, 341],
      [500, 333, 384, 256],
      [256, 256, 256, 256],
      [200, 150, 341, 256],
      [1000, 3, 85333, 256],
      [100, 100, 256, 256],
    ];
    for (const [w, h, ...want] of cases)
      assert.deepEqual(Object.values(aspectResizeSize(w, h)), want, `${w}x${h}`);
  });

  test('the crop is centred with the offsets truncated', () => {
    assert.deepEqual(centerCropOffsets(341, 256), { left: 58, top: 16 });
    assert.deepEqual(centerCropOffsets(256, 384), { left: 16, top: 80 });
    assert.deepEqual(centerCropOffsets(225, 224), { left: 0, top: 0 });
  });

  test('a uniform image stays uniform minus the float32 means, in both layouts', () => {
    const data = new Uint8Array(500 * 375 * 3);
    for (let i = 0; i < data.length; i += 3) data.set([200, 100, 7], i);
    const img = { width: 500, height: 375, channels: 3, data };
    const want = [f(200 - f(123.68)), f(100 - f(116.78)), f(7 - f(103.94))];
    const chw = preprocessPixelsVgg(img);
    assert.equal(chw.length, 3 * PLANE);
    for (let c = 0; c < 3; c++)
      assert.ok(chw.subarray(c * PLANE, (c + 1) * PLANE).every((v) => v === want[c]));
    const hwc = preprocessPixelsVgg(img, 'NHWC');
    assert.ok(hwc.every((v, k) => v === want[k % 3]));
  });

  test('CHW holds the crop window: channel planes, rows, then columns', () => {
    const width = 230;
    const height = 226;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) data.set([x, y, 50], (y * width + x) * 3);
    const out = cropAndNormalize({ width, height, channels: 3, data }, 'NCHW');
    // left = 3, top = 1: pixel (0, 0) of the crop is source (3, 1)
    assert.equal(out[0], f(3 - f(IMAGENET_MEANS[0])));
    assert.equal(out[PLANE], f(1 - f(IMAGENET_MEANS[1])));
    assert.equal(out[223], f(226 - f(IMAGENET_MEANS[0])));
    assert.equal(out[PLANE + 223 * 224], f(224 - f(IMAGENET_MEANS[1])));
    assert.equal(out[2 * PLANE + 5], f(50 - f(IMAGENET_MEANS[2])));
  });

  test('image files: greyscale becomes three equal channels, EXIF orientation is applied', async () => {
    const grey = join(dir, 'grey.JPEG');
    const raw = Buffer.alloc(300 * 260, 90);
    await sharp(raw, { raw: { width: 300, height: 260, channels: 1 } })
      .toColourspace('b-w')
      .toFile(grey);
    const out = await preprocessImageVgg(grey);
    for (let c = 0; c < 3; c++)
      assert.ok(
        out.subarray(c * PLANE, (c + 1) * PLANE).every((v) => v === f(90 - f(IMAGENET_MEANS[c]!))),
      );

    // Left half red, right half blue, stored turned: orientation 6 turns it back upright.
    const half = Buffer.alloc(400 * 300 * 3);
    for (let p = 0; p < 400 * 300; p++) half.set(p % 400 < 200 ? [255, 0, 0] : [0, 0, 255], p * 3);
    const upright = join(dir, 'upright.png');
    await sharp(half, { raw: { width: 400, height: 300, channels: 3 } })
      .png()
      .toFile(upright);
    const turned = join(dir, 'turned.JPEG');
    await sharp(half, { raw: { width: 400, height: 300, channels: 3 } })
      .rotate(-90)
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toFile(turned);
    const a = await preprocessImageVgg(upright);
    const b = await preprocessImageVgg(turned);
    const red = (t: Float32Array, x: number) => t[100 * 224 + x]! + IMAGENET_MEANS[0];
    assert.ok(red(a, 10) > 250 && red(a, 213) < 5);
    assert.ok(red(b, 10) > 240 && red(b, 213) < 15, 'the turned file reads upright');
  });

  test('JPEG headers: CMYK has 4 components and the Adobe marker; other formats have none', async () => {
    const px = Buffer.alloc(16 * 16 * 3, 128);
    const raw = { raw: { width: 16, height: 16, channels: 3 as const } };
    const cmyk = await sharp(px, raw).toColourspace('cmyk').jpeg().toBuffer();
    assert.deepEqual(jpegColour(cmyk), { components: 4, isAdobe: true });
    assert.deepEqual(jpegColour(await sharp(px, raw).jpeg().toBuffer()), {
      components: 3,
      isAdobe: false,
    });
    assert.equal(jpegColour(await sharp(px, raw).png().toBuffer()), undefined);
  });

  test('a corrupt or missing image is a CmError naming its path', async () => {
    const bad = join(dir, 'bad.JPEG');
    writeFileSync(bad, 'not a jpeg at all');
    await assert.rejects(preprocessImageVgg(bad), (e) => {
      assert.ok(isCmError(e));
      assert.equal(e.code, 'bad-input');
      assert.ok(e.message.includes(bad), e.message);
      return true;
    });
    const missing = join(dir, 'missing.JPEG');
    await assert.rejects(preprocessImageVgg(missing), (e) => {
      assert.ok(isCmError(e));
      assert.equal(e.code, 'file-not-found');
      assert.ok(e.message.includes(missing), e.message);
      return true;
    });
  });
});
