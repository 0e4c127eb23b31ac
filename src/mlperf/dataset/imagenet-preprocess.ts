// The reference harness's "vgg" preprocessing of one ImageNet image (pre_process_vgg in
// vision/classification_and_detection/python/dataset.py): decode as cv2.imread does, resize with
// INTER_AREA so the short side is 256, centre crop 224×224, subtract the channel means, CHW.
// Writing the results to disk is preprocess-dataset.ts's job.
import { readFile } from 'node:fs/promises';
import { CmError } from '../../core/errors.js';
import { decodeImage } from './image-decode.js';
import { resizeInterArea, type Image8 } from './inter-area.js';

/** The model's input side (224) and the crop factor: the short side is resized to 256. */
export const IMAGENET_SIDE = 224;
const CROP_PERCENT = 87.5;
/** Channel means subtracted from R, G, B (float32, as numpy subtracts them). */
export const IMAGENET_MEANS: readonly [number, number, number] = [123.68, 116.78, 103.94];

/** Layout of the result: NCHW (the reference's resnet50 ONNX input) or NHWC. */
export type ImageLayout = 'NCHW' | 'NHWC';

/**
 * resize_with_aspectratio: the short side becomes ⌊100·side/87.5⌋ = 256, the long side
 * ⌊256·long/short⌋ (Python's int() of the float quotient). A square image is taken as landscape.
 */
export function aspectResizeSize(
  width: number,
  height: number,
  side = IMAGENET_SIDE,
): { width: number; height: number } {
  const target = Math.trunc((100.0 * side) / CROP_PERCENT);
  if (height > width) return { width: target, height: Math.trunc((target * height) / width) };
  return { width: Math.trunc((target * width) / height), height: target };
}

/** center_crop: the top-left corner of the centred side × side window (int() of the half). */
export function centerCropOffsets(
  width: number,
  height: number,
  side = IMAGENET_SIDE,
): { left: number; top: number } {
  return { left: Math.trunc((width - side) / 2), top: Math.trunc((height - side) / 2) };
}

/**
 * The crop as float32 minus the means, in `layout`. Each value is the float32 difference of the
 * pixel and the float32 mean, as numpy computes `img -= means`.
 */
export function cropAndNormalize(
  img: Image8,
  layout: ImageLayout,
  side = IMAGENET_SIDE,
): Float32Array {
  if (img.channels !== 3) throw new Error(`expected 3 channels, got ${img.channels}`);
  const { left, top } = centerCropOffsets(img.width, img.height, side);
  if (left < 0 || top < 0) throw new Error(`${img.width}x${img.height} is smaller than ${side}`);
  const means = IMAGENET_MEANS.map(Math.fround);
  const out = new Float32Array(3 * side * side);
  const plane = side * side;
  const src = img.data;
  for (let y = 0; y < side; y++) {
    let at = ((top + y) * img.width + left) * 3;
    for (let x = 0; x < side; x++, at += 3) {
      const p = y * side + x;
      for (let c = 0; c < 3; c++) {
        const v = src[at + c]! - means[c]!;
        if (layout === 'NCHW') out[c * plane + p] = v;
        else out[p * 3 + c] = v;
      }
    }
  }
  return out;
}

/** pre_process_vgg on decoded pixels: resize (INTER_AREA), crop, normalise. */
export function preprocessPixelsVgg(img: Image8, layout: ImageLayout = 'NCHW'): Float32Array {
  const size = aspectResizeSize(img.width, img.height);
  return cropAndNormalize(resizeInterArea(img, size.width, size.height), layout);
}

/**
 * One image file, preprocessed as the reference does: Float32Array of 3·224·224 values in
 * `layout`. An unreadable or undecodable file is a CmError naming `path`.
 */
export async function preprocessImageVgg(
  path: string,
  layout: ImageLayout = 'NCHW',
): Promise<Float32Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CmError(
      err.code === 'ENOENT' ? 'file-not-found' : 'bad-input',
      `cannot read the image ${path}: ${err.message}`,
      { details: { file: path } },
    );
  }
  return preprocessPixelsVgg(await decodeImage(bytes, path), layout);
}
