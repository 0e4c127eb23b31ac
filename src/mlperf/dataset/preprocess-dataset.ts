// A list of ImageNet images preprocessed into a folder as the reference's cache: one
// `<image file>.npy` (float32 [3, 224, 224]) per image plus the `val_map.txt` of what is there.
// Resumable: an image whose .npy is already complete is not done again. The per-image work is
// imagenet-preprocess.ts's; progress goes to a callback (library code never prints).
import { availableParallelism } from 'node:os';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { tmpSuffix } from '../../core/uid.js';
import { IMAGENET_SIDE, preprocessImageVgg, type ImageLayout } from './imagenet-preprocess.js';
import { encodeNpy } from './npy.js';
import type { ValMapEntry } from './val-map.js';

export interface PreprocessProgress {
  /** Images finished so far (preprocessed or skipped), of `total`. */
  done: number;
  total: number;
  /** Of those, the ones whose .npy was already there. */
  skipped: number;
  /** The image just finished. */
  file: string;
}

export interface PreprocessDatasetOptions {
  /** The folder the entries' files are relative to. */
  imageDir: string;
  /** Where the .npy files and val_map.txt go (created when missing). */
  outputDir: string;
  entries: readonly ValMapEntry[];
  /** Images in flight at once; default the number of cores. */
  threads?: number;
  layout?: ImageLayout;
  onProgress?: (p: PreprocessProgress) => void;
}

export interface PreprocessDatasetResult {
  total: number;
  /** Images preprocessed by this run. */
  preprocessed: number;
  /** Images whose .npy was already complete. */
  skipped: number;
  /** The val_map.txt written into the output folder. */
  valMap: string;
}

/** The .npy shape of one image in `layout`. */
export function npyShape(layout: ImageLayout): number[] {
  return layout === 'NCHW' ? [3, IMAGENET_SIDE, IMAGENET_SIDE] : [IMAGENET_SIDE, IMAGENET_SIDE, 3];
}

/** The header bytes and total size every complete .npy of this shape has. */
function npyTemplate(shape: number[]): { header: Uint8Array; size: number } {
  const count = shape.reduce((a, b) => a * b, 1);
  const whole = encodeNpy(shape, new Float32Array(count));
  return { header: whole.slice(0, whole.length - count * 4), size: whole.length };
}

/** True when `path` is a complete .npy of the expected shape (its header and size checked). */
async function isCompleteNpy(
  path: string,
  template: { header: Uint8Array; size: number },
): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    if ((await file.stat()).size !== template.size) return false;
    const head = new Uint8Array(template.header.length);
    await file.read(head, 0, head.length, 0);
    return head.every((b, i) => b === template.header[i]);
  } finally {
    await file.close();
  }
}

/** Writes through a temp file renamed over `path`: a crash never leaves a partial file. */
async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${tmpSuffix()}`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new CmError('write-failed', `cannot write ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/**
 * Preprocesses `entries` into `outputDir`, `threads` images at a time, skipping those already
 * done, then writes `val_map.txt` listing every entry in order. The first failure (an image that
 * cannot be read or decoded, a write error) stops the run once the images in flight are done and
 * is thrown; the files finished before it stay, so running again resumes.
 */
export async function preprocessDataset(
  o: PreprocessDatasetOptions,
): Promise<PreprocessDatasetResult> {
  const layout = o.layout ?? 'NCHW';
  const threads = Math.max(1, Math.floor(o.threads ?? availableParallelism()));
  const template = npyTemplate(npyShape(layout));
  const total = o.entries.length;
  let next = 0;
  let done = 0;
  let skipped = 0;
  let failure: unknown;
  const one = async (entry: ValMapEntry): Promise<void> => {
    const out = join(o.outputDir, `${entry.file}.npy`);
    if (await isCompleteNpy(out, template)) skipped++;
    else {
      const data = await preprocessImageVgg(join(o.imageDir, entry.file), layout);
      await writeAtomic(out, encodeNpy(npyShape(layout), data));
    }
    done++;
    o.onProgress?.({ done, total, skipped, file: entry.file });
  };
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < total) {
      const entry = o.entries[next++]!;
      try {
        await one(entry);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(threads, Math.max(total, 1)) }, worker));
  if (failure !== undefined) throw failure;
  const valMap = join(o.outputDir, 'val_map.txt');
  await writeAtomic(valMap, o.entries.map((e) => `${e.file} ${e.label}\n`).join(''));
  return { total, preprocessed: total - skipped, skipped, valMap };
}
