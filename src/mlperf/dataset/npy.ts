// NumPy's .npy format (version 1.0) for float32 arrays in C order: what CM's preprocessing writes
// per image (`<image>.npy`, float32 [3, 224, 224]) and what the harness reads back. The header is
// laid out as numpy.save writes it, so the files are interchangeable with the reference's.
import { CmError } from '../../core/errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** A float32 array and its shape (C order). */
export interface NpyFloat32 {
  shape: number[];
  data: Float32Array;
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The bytes numpy.save writes for `data` with `shape` (dtype '<f4', version 1.0, 64-byte aligned). */
export function encodeNpy(shape: readonly number[], data: Float32Array): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new CmError(
      'bad-input',
      `shape ${shapeText(shape)} holds ${count} values, not ${data.length}`,
    );
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText(shape)}, }`;
  // numpy leaves room for the first axis to grow to 21 digits, then aligns the data to 64 bytes.
  if (shape.length > 0) header += ' '.repeat(Math.max(0, 21 - String(shape[0]).length));
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(MAGIC.length + 4 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < data.length; i++) body.setFloat32(i * 4, data[i]!, true);
  return out;
}

/** Reads a float32 C-order .npy (versions 1.0 to 3.0); `source` names the file in errors. */
export function decodeNpy(bytes: Uint8Array, source: string): NpyFloat32 {
  const bad = (why: string): CmError =>
    new CmError('bad-input', `${source} is not a float32 .npy file: ${why}`, {
      hint: 'preprocess the dataset again (remove its cache entry: cm rm cache --tags=preprocessed)',
    });
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('no NUMPY magic');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (major < 1 || major > 3) throw bad(`format version ${major} is unknown`);
  const headerLen = lenSize === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenSize;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  if (descr !== '<f4') throw bad(`dtype is ${descr ?? 'missing'}, not '<f4'`);
  if (/'fortran_order':\s*True/.test(header)) throw bad('it is in Fortran order');
  const shapeMatch = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!shapeMatch) throw bad('its header has no shape');
  const shape = shapeMatch[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset !== count * 4)
    throw bad(`shape ${shapeText(shape)} needs ${count * 4} bytes, found ${bytes.length - offset}`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + i * 4, true);
  return { shape, data };
}
