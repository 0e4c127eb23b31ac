// Our decoding, INTER_AREA resize and vgg preprocessing against OpenCV's own, where python3 with
// cv2 is installed (skipped otherwise): generated images of the awkward kinds, compared exactly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { preprocessImageVgg } from './imagenet-preprocess.js';
import { resizeInterArea } from './inter-area.js';
import { decodeNpy } from './npy.js';

/** A python with cv2: the one on PATH, else the system one (where a distribution's python3-opencv lands). */
function pythonWithCv2(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import cv2, numpy'], { stdio: 'ignore' });
      return python;
    } catch {
      // the next one
    }
  }
  return undefined;
}

const python = pythonWithCv2();
const skip = python === undefined ? 'python3 with cv2 (OpenCV) is not installed' : false;

// pre_process_vgg as spec loadgen.md §6.4 describes the reference harness's: cv2.imread, RGB,
// INTER_AREA to a short side of 256, centre crop 224, float32 minus the means, CHW.
const VGG_PY = `
import sys, json, cv2, numpy as np
def vgg(path):
    img = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
    h, w, _ = img.shape
    side = int(100.0 * 224 / 87.5)
    nw, nh = (side, int(side * h / w)) if h > w else (int(side * w / h), side)
    img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_AREA)
    top, left = int((nh - 224) / 2), int((nw - 224) / 2)
    img = np.asarray(img[top:top + 224, left:left + 224], dtype="float32")
    img -= np.array([123.68, 116.78, 103.94], dtype=np.float32)
    return img.transpose([2, 0, 1])
for src, dst in json.loads(sys.argv[1]):
    np.save(dst, vgg(src))
`;

const RESIZE_PY = `
import sys, json, cv2, numpy as np
for src, dst, sw, sh, dw, dh in json.loads(sys.argv[1]):
    img = np.fromfile(src, np.uint8).reshape(sh, sw, 3)
    cv2.resize(img, (dw, dh), interpolation=cv2.INTER_AREA).tofile(dst)
`;

const dir = mkdtempSync(join(tmpdir(), 'cm-cv2-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Seeded noise over a gradient: values that exercise every rounding. */
function noise(width: number, height: number, channels: number, seed: number): Buffer {
  const data = Buffer.alloc(width * height * channels);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = ((i % (width * channels)) + (s >>> 24)) & 255;
  }
  return data;
}

describe('preprocessing against OpenCV', { skip }, () => {
  test('INTER_AREA resize equals cv2.resize exactly: shrinking, whole factors, enlarging, mixed', () => {
    const cases = [
      [500, 375, 341, 256],
      [375, 500, 256, 341],
      [512, 768, 256, 384],
      [768, 768, 256, 256],
      [641, 479, 342, 256],
      [200, 150, 341, 256],
      [90, 300, 264, 880],
      [259, 300, 256, 296],
      [300, 256, 256, 300],
      [7, 5, 3, 2],
    ];
    const jobs = cases.map(([sw, sh, dw, dh], i) => {
      const src = join(dir, `raw${i}.bin`);
      writeFileSync(src, noise(sw!, sh!, 3, i + 1));
      return [src, join(dir, `cv${i}.bin`), sw, sh, dw, dh];
    });
    execFileSync(python!, ['-c', RESIZE_PY, JSON.stringify(jobs)]);
    cases.forEach(([sw, sh, dw, dh], i) => {
      const data = new Uint8Array(readFileSync(join(dir, `raw${i}.bin`)));
      const ours = resizeInterArea({ width: sw!, height: sh!, channels: 3, data }, dw!, dh!);
      const theirs = new Uint8Array(readFileSync(join(dir, `cv${i}.bin`)));
      const at = ours.data.findIndex((v, k) => v !== theirs[k]);
      assert.equal(at, -1, `${sw}x${sh} -> ${dw}x${dh}: first difference at value ${at}`);
    });
  });

  test('vgg preprocessing of image files equals the reference computed with cv2', async () => {
    const rgb = (w: number, h: number, seed: number) =>
      sharp(noise(w, h, 3, seed), { raw: { width: w, height: h, channels: 3 } });
    const files: Record<string, Promise<Buffer>> = {
      'landscape.JPEG': rgb(500, 375, 1).jpeg({ quality: 85 }).toBuffer(),
      'portrait.png': rgb(333, 500, 2).png().toBuffer(),
      'small.JPEG': rgb(180, 120, 3).jpeg().toBuffer(),
      'double.JPEG': rgb(512, 768, 4).jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer(),
      'grey.JPEG': sharp(noise(300, 280, 1, 5), { raw: { width: 300, height: 280, channels: 1 } })
        .toColourspace('b-w')
        .jpeg()
        .toBuffer(),
      'rotated.JPEG': rgb(400, 300, 6).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
      'cmyk.JPEG': rgb(320, 260, 7).toColourspace('cmyk').jpeg().toBuffer(),
      'alpha.png': sharp(noise(260, 300, 4, 8), { raw: { width: 260, height: 300, channels: 4 } })
        .png()
        .toBuffer(),
    };
    const jobs: string[][] = [];
    for (const [name, bytes] of Object.entries(files)) {
      writeFileSync(join(dir, name), await bytes);
      jobs.push([join(dir, name), join(dir, `${name}.npy`)]);
    }
    execFileSync(python!, ['-c', VGG_PY, JSON.stringify(jobs)]);
    for (const [src, npy] of jobs) {
      const theirs = decodeNpy(readFileSync(npy!), npy!);
      assert.deepEqual(theirs.shape, [3, 224, 224]);
      const ours = await preprocessImageVgg(src!);
      let worst = 0;
      for (let k = 0; k < ours.length; k++)
        worst = Math.max(worst, Math.abs(ours[k]! - theirs.data[k]!));
      assert.ok(worst <= 1e-3, `${src}: largest difference ${worst}`);
    }
  });
});
