// Generated stand-ins for ImageNet validation images, for tests and examples where the real set
// cannot be downloaded: JPEGs named as ImageNet's, of assorted sizes, plus their val_map.txt.
// Deterministic for a seed; each image is mostly one colour family chosen by its label, so a model
// that scores channel means (onnx/tiny-classifier.ts) can tell the classes apart.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { CmError } from '../../core/errors.js';
import { IMAGENET_CLASSES, type ValMapEntry } from './val-map.js';

export interface SyntheticImagesOptions {
  /** The folder to write into (created when missing). */
  dir: string;
  count: number;
  /** Same seed, same files. Default 1. */
  seed?: number;
  /** The label of image `index` (0-based), 0–999. Default index mod 1000. */
  labelOf?: (index: number) => number;
}

/** ImageNet's name of validation image `index` (0-based): ILSVRC2012_val_00000001.JPEG first. */
export function imagenetValName(index: number): string {
  return `ILSVRC2012_val_${String(index + 1).padStart(8, '0')}.JPEG`;
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The size of image `index`: even ones landscape, odd ones portrait, the third (index 2) smaller
 * than 256 on its short side (so preprocessing enlarges it).
 */
function sizeOf(index: number, rnd: () => number): { width: number; height: number } {
  const short = index === 2 ? 120 + Math.floor(rnd() * 100) : 256 + Math.floor(rnd() * 200);
  const long = short + 1 + Math.floor(rnd() * short * 0.6);
  return index % 2 === 0 ? { width: long, height: short } : { width: short, height: long };
}

/** The colour family of a label: a hue spread by the golden ratio, fairly saturated. */
export function labelColour(label: number): [number, number, number] {
  const h = ((label * 0.618033988749895) % 1) * 6;
  const s = 0.75;
  const v = 0.85;
  const f = h - Math.floor(h);
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  const rgb = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][Math.floor(h) % 6]!;
  return rgb.map((c) => Math.round(c * 255)) as [number, number, number];
}

/** The pixels of one image: its label's colour, a soft diagonal shading and some noise. */
function pixels(
  width: number,
  height: number,
  colour: readonly number[],
  channels: 1 | 3,
  rnd: () => number,
): Uint8Array {
  const data = new Uint8Array(width * height * channels);
  const grey = 0.299 * colour[0]! + 0.587 * colour[1]! + 0.114 * colour[2]!;
  let at = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const shade = 24 * ((x / width + y / height) / 2 - 0.5);
      for (let c = 0; c < channels; c++) {
        const base = channels === 1 ? grey : colour[c]!;
        const v = base + shade + (rnd() - 0.5) * 24;
        data[at++] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  return data;
}

/**
 * Writes `count` JPEGs and a val_map.txt into `dir`; returns the entries of the val_map in order.
 * Image 3 (the fourth) is greyscale; see sizeOf for the sizes.
 */
export async function writeSyntheticImages(o: SyntheticImagesOptions): Promise<ValMapEntry[]> {
  const labelOf = o.labelOf ?? ((i: number) => i % IMAGENET_CLASSES);
  await mkdir(o.dir, { recursive: true });
  const entries: ValMapEntry[] = [];
  for (let i = 0; i < o.count; i++) {
    const label = labelOf(i);
    if (!Number.isInteger(label) || label < 0 || label >= IMAGENET_CLASSES)
      throw new CmError('bad-input', `the label of synthetic image ${i} is ${label}, not 0-999`);
    const rnd = random((o.seed ?? 1) * 100003 + i);
    const { width, height } = sizeOf(i, rnd);
    const channels = i === 3 ? 1 : 3;
    const raw = pixels(width, height, labelColour(label), channels, rnd);
    let image = sharp(raw, { raw: { width, height, channels } });
    if (channels === 1) image = image.toColourspace('b-w');
    const file = imagenetValName(i);
    await writeFile(join(o.dir, file), await image.jpeg({ quality: 90 }).toBuffer());
    entries.push({ file, label });
  }
  await writeFile(
    join(o.dir, 'val_map.txt'),
    entries.map((e) => `${e.file} ${e.label}\n`).join(''),
  );
  return entries;
}
