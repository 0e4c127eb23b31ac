// Image files to 8-bit RGB pixels the way cv2.imread(path) (IMREAD_COLOR) decodes them, which the
// reference preprocessing starts from. sharp (libvips, libjpeg-turbo) does the decoding; what
// OpenCV does differently from libvips's defaults is redone here.
import sharp from 'sharp';
import { CmError } from '../../core/errors.js';
import type { Image8 } from './inter-area.js';

/** What a JPEG's header says about its colours: 4 components is CMYK (or YCCK). */
interface JpegColour {
  components: number;
  /** An Adobe APP14 segment: Photoshop's inverted CMYK, which libvips un-inverts and OpenCV not. */
  isAdobe: boolean;
}

/** The JPEG's component count and Adobe marker, or undefined for another format. */
export function jpegColour(bytes: Uint8Array): JpegColour | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let isAdobe = false;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const body = at + 4;
    if (marker === 0xee && String.fromCharCode(...bytes.subarray(body, body + 5)) === 'Adobe')
      isAdobe = true;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame && body + 5 < bytes.length) return { components: bytes[body + 5]!, isAdobe };
    at += 2 + length;
  }
  return undefined;
}

/**
 * Decodes an image to 8-bit RGB as cv2.imread with IMREAD_COLOR does: the EXIF orientation is
 * applied, an embedded ICC profile ignored, greyscale replicated to three channels, alpha dropped
 * (not blended), CMYK converted with OpenCV's own formula. A truncated JPEG decodes as far as it
 * goes, as with OpenCV; a file that is no image is a CmError naming `source`.
 */
export async function decodeImage(bytes: Uint8Array, source: string): Promise<Image8> {
  try {
    const colour = jpegColour(bytes);
    const isCmyk = colour?.components === 4;
    let image = sharp(bytes, { failOn: 'error', ignoreIcc: true }).autoOrient();
    image = isCmyk
      ? image.pipelineColourspace('cmyk').toColourspace('cmyk')
      : image.toColourspace('srgb');
    const { data, info } = await image
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
    if (isCmyk && info.channels === 4) return cmykToRgb(pixels, info, colour.isAdobe);
    return toRgb(pixels, info);
  } catch (e) {
    throw new CmError('bad-input', `cannot decode the image ${source}: ${reasonOf(e)}`, {
      hint: 'the file is damaged or not an image: replace it, or remove it from val_map.txt',
      details: { file: source },
    });
  }
}

/** libvips's message in one line: it repeats its lines once per decoding attempt. */
function reasonOf(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim());
  return [...new Set(lines.filter((l) => l !== ''))].join('; ');
}

interface RawInfo {
  width: number;
  height: number;
  channels: number;
}

/** Three channels from what libvips gave: grey replicated, alpha (a 2nd or 4th channel) dropped. */
function toRgb(data: Uint8Array, info: RawInfo): Image8 {
  const { width, height, channels } = info;
  if (channels === 3) return { width, height, channels, data };
  const n = width * height;
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    const at = p * channels;
    if (channels < 3) out[p * 3] = out[p * 3 + 1] = out[p * 3 + 2] = data[at]!;
    else {
      out[p * 3] = data[at]!;
      out[p * 3 + 1] = data[at + 1]!;
      out[p * 3 + 2] = data[at + 2]!;
    }
  }
  return { width, height, channels: 3, data: out };
}

/**
 * OpenCV's icvCvt_CMYK2BGR_8u_C4C3R on the values libjpeg returns (still inverted for Adobe
 * files, which libvips has un-inverted): each of C, M, Y becomes k - ((255 - v) * k >> 8).
 */
function cmykToRgb(data: Uint8Array, info: RawInfo, isAdobe: boolean): Image8 {
  const n = info.width * info.height;
  const out = new Uint8Array(n * 3);
  const flip = isAdobe ? 255 : 0;
  for (let p = 0; p < n; p++) {
    const k = data[p * 4 + 3]! ^ flip;
    for (let c = 0; c < 3; c++) {
      const v = data[p * 4 + c]! ^ flip;
      out[p * 3 + c] = k - (((255 - v) * k) >> 8);
    }
  }
  return { width: info.width, height: info.height, channels: 3, data: out };
}
