// A tiny preprocessed dataset and the tiny model in resnet50_v1.onnx's layout, written to a folder:
// what tests, demos and CI run the harness on where neither ImageNet nor resnet50 can be fetched.
// Each image's class is known in advance (computed as the model computes it) and clear-cut.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '../dataset/npy.js';
import {
  tinyClassifierLogits,
  tinyClassifierWeights,
  tinyResnet50Onnx,
  RESNET50_CLASSES,
} from '../onnx/tiny-classifier.js';

export interface TinyDatasetOptions {
  images: number;
  /** Height and width of the images (224 as ImageNet's preprocessing gives). */
  size?: number;
  /** Indices whose label is not what the model predicts. */
  wrong?: readonly number[];
}

export interface TinyDataset {
  model: string;
  datasetList: string;
  preprocessedDir: string;
  /** The class the harness reports for each image (the model's argmax - 1). */
  predicted: number[];
  labels: number[];
  /** `<image>` names as listed. */
  images: string[];
}

/**
 * Smallest gap between the best and the second logit. The means are multiples of 1/64 and the
 * ripple sums to zero, so onnxruntime's float32 sums over a channel are exact: its logits differ
 * from these by ~1e-7, far below the gap.
 */
const MIN_MARGIN = 1e-5;

const sixtyFourths = (v: number): number => Math.round(v * 64) / 64;

/** Channel means of image i, turned until the best class is clear and not the background. */
function channelMeans(i: number, model: ReturnType<typeof tinyClassifierWeights>): number[] {
  for (let turn = 0; ; turn++) {
    const a = 0.7 + i * 2.399 + turn * 0.05;
    const means = [Math.cos(a), Math.sin(a), 0.6 * Math.cos(2.3 * a)].map(sixtyFourths);
    const logits = tinyClassifierLogits(model, Float32Array.from(means), 1, 1);
    const sorted = [...logits].sort((x, y) => y - x);
    const best = logits.indexOf(sorted[0]!);
    if (best > 0 && sorted[0]! - sorted[1]! > MIN_MARGIN) return means;
  }
}

/** One image [3, size, size] (size even): each channel its mean plus a ripple summing to zero by row. */
function image(means: readonly number[], size: number): Float32Array {
  const data = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        data[(c * size + y) * size + x] = means[c]! + 0.25 * (x % 2 === 0 ? 1 : -1) * ((y % 3) - 1);
  return data;
}

export function writeTinyDataset(dir: string, options: TinyDatasetOptions): TinyDataset {
  const size = options.size ?? 224;
  const model = tinyClassifierWeights(RESNET50_CLASSES);
  const preprocessedDir = join(dir, 'preprocessed');
  mkdirSync(preprocessedDir, { recursive: true });
  const predicted: number[] = [];
  const labels: number[] = [];
  const images: string[] = [];
  for (let i = 0; i < options.images; i++) {
    const name = `ILSVRC2012_val_${String(i + 1).padStart(8, '0')}.JPEG`;
    const means = channelMeans(i, model);
    const logits = tinyClassifierLogits(model, Float32Array.from(means), 1, 1);
    const cls = logits.indexOf(Math.max(...logits)) - 1;
    writeFileSync(
      join(preprocessedDir, `${name}.npy`),
      encodeNpy([3, size, size], image(means, size)),
    );
    images.push(name);
    predicted.push(cls);
    labels.push(options.wrong?.includes(i) ? (cls + 1) % 1000 : cls);
  }
  const datasetList = join(dir, 'val.txt');
  writeFileSync(datasetList, images.map((name, i) => `${name} ${labels[i]}\n`).join(''));
  const modelPath = join(dir, 'resnet50_v1.onnx');
  writeFileSync(modelPath, tinyResnet50Onnx(model));
  return { model: modelPath, datasetList, preprocessedDir, predicted, labels, images };
}
