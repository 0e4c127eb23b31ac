// The query sample library over a preprocessed image dataset (spec §6.4): a list file of
// `<image> <label>` lines and a folder holding `<image>.npy` (float32 [3,H,W]) per image. Loading
// reads the .npy files into memory, unloading drops them. Preprocessing images is ../dataset/'s.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { decodeNpy } from '../dataset/npy.js';
import type { QuerySampleLibrary } from '../loadgen/index.js';
import { parseValMap, type ImagenetLabel } from '../submission/accuracy-imagenet.js';

/** The reference's performance sample count when none is given: min(total, 500). */
export const DEFAULT_PERFORMANCE_SAMPLES = 500;

export interface PreprocessedQslOptions {
  /** `val.txt`-style list: line i is QSL index i. */
  datasetList: string;
  /** The folder with `<image>.npy` for each listed image. */
  preprocessedDir: string;
  /** Use the first `count` entries only (all when absent or larger). */
  count?: number;
  /** Given, or min(total, 500) as the reference. */
  performanceSampleCount?: number;
}

/** One listed image: what the list says, and the .npy file that holds it preprocessed. */
export interface DatasetEntry extends ImagenetLabel {
  file: string;
}

/** How many missing files an error lists by path before counting the rest. */
const LISTED_MISSING = 3;

function readList(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CmError('file-not-found', `cannot read the dataset list ${path}: ${String(e)}`, {
      hint: "give --dataset-list the val.txt of the dataset (lines '<image> <label>')",
      cause: e,
    });
  }
}

/** The entries of the list, the first `count` of them; every .npy must exist (all are checked). */
export function readDatasetEntries(options: PreprocessedQslOptions): DatasetEntry[] {
  const labels = parseValMap(readList(options.datasetList), options.datasetList);
  const used = options.count === undefined ? labels : labels.slice(0, options.count);
  if (used.length === 0)
    throw new CmError('bad-input', `${options.datasetList} lists no images`, {
      hint: "the list needs one '<image> <label>' line per image",
    });
  const entries = used.map((l) => ({
    ...l,
    file: join(options.preprocessedDir, `${l.image}.npy`),
  }));
  const missing = entries.filter((e) => !existsSync(e.file)).map((e) => e.file);
  if (missing.length > 0) {
    const more =
      missing.length > LISTED_MISSING ? ` and ${missing.length - LISTED_MISSING} more` : '';
    throw new CmError(
      'file-not-found',
      `preprocessed samples not found (${missing.length} of the ${entries.length} listed in ` +
        `${options.datasetList}): ${missing.slice(0, LISTED_MISSING).join(', ')}${more}`,
      {
        hint: 'preprocess the dataset into --preprocessed (one <image>.npy per listed image), or use --count',
        details: { missing },
      },
    );
  }
  return entries;
}

const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

export class PreprocessedQsl implements QuerySampleLibrary {
  readonly entries: readonly DatasetEntry[];
  readonly #performanceCount: number;
  readonly #loaded = new Map<number, Float32Array>();
  #shape: readonly number[] | undefined;

  constructor(options: PreprocessedQslOptions) {
    this.entries = readDatasetEntries(options);
    const given = options.performanceSampleCount;
    this.#performanceCount =
      given !== undefined && given > 0
        ? given
        : Math.min(this.entries.length, DEFAULT_PERFORMANCE_SAMPLES);
  }

  name(): string {
    return 'preprocessed image QSL';
  }

  totalSampleCount(): number {
    return this.entries.length;
  }

  performanceSampleCount(): number {
    return this.#performanceCount;
  }

  /** The shape [3, H, W] every sample has (known once one is loaded). */
  get sampleShape(): readonly number[] | undefined {
    return this.#shape;
  }

  loadSamplesToRam(indices: readonly number[]): void {
    for (const index of indices) {
      if (this.#loaded.has(index)) continue;
      this.#loaded.set(index, this.#read(index));
    }
  }

  unloadSamplesFromRam(indices: readonly number[]): void {
    for (const index of indices) this.#loaded.delete(index);
  }

  /** A loaded sample's values (C order). Asking for one that is not loaded is a bug. */
  sample(index: number): Float32Array {
    const data = this.#loaded.get(index);
    if (data === undefined) throw new Error(`sample ${index} is not loaded`);
    return data;
  }

  #read(index: number): Float32Array {
    const entry = this.entries[index];
    if (entry === undefined)
      throw new Error(`sample ${index} is outside the QSL (${this.entries.length} samples)`);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(entry.file);
    } catch (e) {
      throw new CmError('file-not-found', `cannot read the sample ${entry.file}: ${String(e)}`, {
        cause: e,
      });
    }
    const { shape, data } = decodeNpy(bytes, entry.file);
    if (shape.length !== 3 || shape[0] !== 3)
      throw new CmError('bad-input', `${entry.file}: shape ${shapeText(shape)} is not [3, H, W]`, {
        hint: 'the harness takes images preprocessed as NCHW float32 (one [3, H, W] array a file)',
      });
    if (this.#shape === undefined) this.#shape = shape;
    else if (shape.some((d, i) => d !== this.#shape![i]))
      throw new CmError(
        'bad-input',
        `${entry.file}: shape ${shapeText(shape)} differs from the ${shapeText(this.#shape)} of the samples before it`,
        { hint: 'preprocess every image of the dataset to the same size' },
      );
    return data;
  }
}
