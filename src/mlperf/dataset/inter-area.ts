// OpenCV's cv::resize(..., INTER_AREA) on 8-bit interleaved pixels, reproduced step for step
// (float32 rounding, fixed-point weights, ties to even) so that a preprocessed image equals the
// reference harness's bit for bit. Decoding and what follows the resize live elsewhere.
//
// OpenCV has three cases, and so has this file:
// - both scales (source / destination) whole numbers: the mean of each k×k block (areaFast);
// - both scales >= 1 otherwise: each destination pixel is the area-weighted mean of the source
//   pixels its cell covers, the cells' fractional borders weighted by the part covered (areaCells);
// - any scale < 1 (enlarging): OpenCV falls back to a bilinear interpolation whose weights come
//   from the cell borders instead of the pixel centres, in 11-bit fixed point (areaUpscale).

/** An 8-bit image, rows top to bottom, `channels` values per pixel. */
export interface Image8 {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

const DBL_EPSILON = 2.220446049250313e-16;
/** INTER_RESIZE_COEF_BITS: the fixed-point weights of the bilinear case are 1/2048ths. */
const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;
const fround = Math.fround;

/** cvRound: to the nearest whole number, ties to even (the SSE conversion's default mode). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function saturate8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** The image resized to `width` × `height` as cv::resize with INTER_AREA makes it. */
export function resizeInterArea(src: Image8, width: number, height: number): Image8 {
  if (width < 1 || height < 1 || src.width < 1 || src.height < 1)
    throw new Error(`cannot resize ${src.width}x${src.height} to ${width}x${height}`);
  if (width === src.width && height === src.height)
    return { ...src, data: Uint8Array.from(src.data) };
  // OpenCV derives the scales from the inverse ratios; 1/(d/s) is not always s/d in doubles, and
  // that decides between the whole-number case and the general one.
  const invX = width / src.width;
  const invY = height / src.height;
  const scaleX = 1 / invX;
  const scaleY = 1 / invY;
  const kx = roundHalfEven(scaleX);
  const ky = roundHalfEven(scaleY);
  const isWhole = Math.abs(scaleX - kx) < DBL_EPSILON && Math.abs(scaleY - ky) < DBL_EPSILON;
  if (scaleX >= 1 && scaleY >= 1)
    return isWhole
      ? areaFast(src, width, height, kx, ky)
      : areaCells(src, width, height, scaleX, scaleY);
  return areaUpscale(src, width, height, { scaleX, scaleY, invX, invY });
}

/** Whole-number scales: the mean of each kx × ky block (2×2 rounds half up, as OpenCV's SIMD). */
function areaFast(src: Image8, width: number, height: number, kx: number, ky: number): Image8 {
  const cn = src.channels;
  const rowLen = src.width * cn;
  const out = new Uint8Array(width * height * cn);
  const s = src.data;
  const isPair = kx === 2 && ky === 2 && cn !== 2;
  const scale = fround(1 / (kx * ky));
  let o = 0;
  for (let dy = 0; dy < height; dy++) {
    const row0 = dy * ky * rowLen;
    for (let dx = 0; dx < width; dx++) {
      const col0 = dx * kx * cn;
      for (let c = 0; c < cn; c++) {
        const at = row0 + col0 + c;
        if (isPair) {
          out[o++] = (s[at]! + s[at + cn]! + s[at + rowLen]! + s[at + rowLen + cn]! + 2) >> 2;
          continue;
        }
        let sum = 0;
        for (let y = 0; y < ky; y++)
          for (let x = 0; x < kx; x++) sum += s[at + y * rowLen + x * cn]!;
        out[o++] = saturate8(roundHalfEven(fround(sum * scale)));
      }
    }
  }
  return { width, height, channels: cn, data: out };
}

/** One axis of the area case: for each entry, destination index, source index and weight. */
interface AreaTable {
  dst: Int32Array;
  src: Int32Array;
  weight: Float32Array;
  size: number;
}

/** computeResizeAreaTab: the source pixels each destination cell covers, with their share. */
export function areaTable(sourceSize: number, destSize: number, scale: number): AreaTable {
  const t: AreaTable = {
    dst: new Int32Array(sourceSize * 2),
    src: new Int32Array(sourceSize * 2),
    weight: new Float32Array(sourceSize * 2),
    size: 0,
  };
  const push = (d: number, s: number, w: number): void => {
    t.dst[t.size] = d;
    t.src[t.size] = s;
    t.weight[t.size++] = w;
  };
  for (let d = 0; d < destSize; d++) {
    const f1 = d * scale;
    const f2 = f1 + scale;
    const cell = Math.min(scale, sourceSize - f1);
    const s2 = Math.min(Math.floor(f2), sourceSize - 1);
    const s1 = Math.min(Math.ceil(f1), s2);
    if (s1 - f1 > 1e-3) push(d, s1 - 1, (s1 - f1) / cell);
    for (let s = s1; s < s2; s++) push(d, s, 1 / cell);
    if (f2 - s2 > 1e-3) push(d, s2, Math.min(Math.min(f2 - s2, 1), cell) / cell);
  }
  return t;
}

/**
 * ResizeArea_Invoker: per source row of a destination row, the row's cells summed with the x
 * weights (float32), then the rows summed with the y weights (float32), rounded once at the end.
 */
function areaCells(
  src: Image8,
  width: number,
  height: number,
  scaleX: number,
  scaleY: number,
): Image8 {
  const cn = src.channels;
  const xt = areaTable(src.width, width, scaleX);
  const yt = areaTable(src.height, height, scaleY);
  const rowOut = width * cn;
  const out = new Uint8Array(rowOut * height);
  const buf = new Float32Array(rowOut);
  const sum = new Float32Array(rowOut);
  const s = src.data;
  const flush = (dy: number): void => {
    const o = dy * rowOut;
    for (let i = 0; i < rowOut; i++) out[o + i] = saturate8(roundHalfEven(sum[i]!));
  };
  let prevDy = yt.dst[0]!;
  let bufRow = -1;
  for (let j = 0; j < yt.size; j++) {
    const beta = yt.weight[j]!;
    const dy = yt.dst[j]!;
    // A source row on the border of two destination rows comes twice in a row: summed once.
    if (yt.src[j]! !== bufRow) {
      bufRow = yt.src[j]!;
      sumRow(s, bufRow * src.width * cn, cn, xt, buf);
    }
    if (dy !== prevDy) {
      flush(prevDy);
      for (let i = 0; i < rowOut; i++) sum[i] = beta * buf[i]!;
      prevDy = dy;
    } else {
      for (let i = 0; i < rowOut; i++) sum[i] = sum[i]! + fround(beta * buf[i]!);
    }
  }
  flush(prevDy);
  return { width, height, channels: cn, data: out };
}

/** One source row's cells, summed with the x weights into `buf` (float32 products and sums). */
function sumRow(s: Uint8Array, rowIn: number, cn: number, xt: AreaTable, buf: Float32Array): void {
  buf.fill(0);
  if (cn === 3) {
    for (let k = 0; k < xt.size; k++) {
      const si = rowIn + xt.src[k]! * 3;
      const di = xt.dst[k]! * 3;
      const alpha = xt.weight[k]!;
      buf[di] = buf[di]! + fround(s[si]! * alpha);
      buf[di + 1] = buf[di + 1]! + fround(s[si + 1]! * alpha);
      buf[di + 2] = buf[di + 2]! + fround(s[si + 2]! * alpha);
    }
    return;
  }
  for (let k = 0; k < xt.size; k++) {
    const si = rowIn + xt.src[k]! * cn;
    const di = xt.dst[k]! * cn;
    const alpha = xt.weight[k]!;
    // Each product is rounded to float32 before the (float32) sum, as the C++ does.
    for (let c = 0; c < cn; c++) buf[di + c] = buf[di + c]! + fround(s[si + c]! * alpha);
  }
}

interface Scales {
  scaleX: number;
  scaleY: number;
  invX: number;
  invY: number;
}

/** One axis of the enlarging case: the first source index and the two 11-bit weights. */
function linearAxis(
  sourceSize: number,
  destSize: number,
  scale: number,
  inv: number,
  clampAtEnd: boolean,
): { first: Int32Array; w0: Int32Array; w1: Int32Array } {
  const first = new Int32Array(destSize);
  const w0 = new Int32Array(destSize);
  const w1 = new Int32Array(destSize);
  for (let d = 0; d < destSize; d++) {
    let s = Math.floor(d * scale);
    let f = fround(d + 1 - (s + 1) * inv);
    f = f <= 0 ? 0 : fround(f - Math.floor(f));
    if (s < 0) ((f = 0), (s = 0));
    // OpenCV clamps the last columns (not rows: those read a clamped second row instead).
    if (clampAtEnd && s >= sourceSize - 1) ((f = 0), (s = sourceSize - 1));
    first[d] = s;
    w0[d] = roundHalfEven(fround(1 - f) * COEF_SCALE);
    w1[d] = roundHalfEven(f * COEF_SCALE);
  }
  return { first, w0, w1 };
}

/**
 * Enlarging (INTER_AREA falls back to bilinear): rows interpolated horizontally into 32-bit
 * fixed point, then two rows blended vertically as OpenCV's 8-bit path does it, vector loop and
 * scalar tail alike: each row >> 4, the high half of its 16-bit product with the weight, then
 * (a + b + 2) >> 2. This loses a little against the exact (v + 2^21) >> 22, and is kept as it is.
 */
function areaUpscale(src: Image8, width: number, height: number, sc: Scales): Image8 {
  const cn = src.channels;
  const xs = linearAxis(src.width, width, sc.scaleX, sc.invX, true);
  const ys = linearAxis(src.height, height, sc.scaleY, sc.invY, false);
  const rowOut = width * cn;
  const out = new Uint8Array(rowOut * height);
  // Rows are interpolated horizontally once each, kept for the next destination row.
  const rows = [new Int32Array(rowOut), new Int32Array(rowOut)];
  const rowOf = [-1, -1];
  const horizontal = (sy: number): Int32Array => {
    const slot = rowOf[0] === sy ? 0 : rowOf[1] === sy ? 1 : sy % 2;
    const row = rows[slot]!;
    if (rowOf[slot] === sy) return row;
    rowOf[slot] = sy;
    const base = sy * src.width * cn;
    const s = src.data;
    for (let dx = 0; dx < width; dx++) {
      const si = base + xs.first[dx]! * cn;
      const a0 = xs.w0[dx]!;
      const a1 = xs.w1[dx]!;
      const di = dx * cn;
      for (let c = 0; c < cn; c++)
        row[di + c] = a1 === 0 ? s[si + c]! * a0 : s[si + c]! * a0 + s[si + cn + c]! * a1;
    }
    return row;
  };
  const last = src.height - 1;
  for (let dy = 0; dy < height; dy++) {
    const sy = ys.first[dy]!;
    const r0 = horizontal(Math.min(Math.max(sy, 0), last));
    const r1 = horizontal(Math.min(Math.max(sy + 1, 0), last));
    const b0 = ys.w0[dy]!;
    const b1 = ys.w1[dy]!;
    const o = dy * rowOut;
    for (let x = 0; x < rowOut; x++) {
      const v = (((r0[x]! >> 4) * b0) >> 16) + (((r1[x]! >> 4) * b1) >> 16);
      out[o + x] = saturate8((v + 2) >> 2);
    }
  }
  return { width, height, channels: cn, data: out };
}
