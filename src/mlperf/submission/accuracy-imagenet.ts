// Top-1 accuracy of an mlperf_log_accuracy.json against val_map.txt labels, as the reference
// tools/accuracy-imagenet.py computes and prints it (spec §6.5). Pure: the callers read the files.

import { CmError } from '../../core/errors.js';
import { formatFixedPython } from './python-format.js';

/** How the `data` bytes of an entry encode the predicted class (the reference's `--dtype`). */
export type AccuracyDtype = 'float32' | 'int32' | 'int64';

/** One line of val_map.txt: the image name and its class label; line i is QSL index i. */
export interface ImagenetLabel {
  image: string;
  label: bigint;
}

/** One entry of the accuracy log, in file order. */
export interface AccuracyLogEntry {
  qslIdx: number;
  data: string;
}

/** A first response whose decoded class differs from the label (the reference's verbose line). */
export interface AccuracyMismatch {
  qslIdx: number;
  image: string;
  expected: bigint;
  found: bigint;
}

export interface ImagenetAccuracy {
  /** Distinct QSL indices (the denominator). */
  total: number;
  good: number;
  /** Entries skipped because their qsl_idx was already seen. */
  duplicates: number;
  mismatches: AccuracyMismatch[];
  /** `accuracy=<pct:.3f>%, good=<good>, total=<total>`, byte for byte the reference's line. */
  line: string;
}

const ITEM_SIZE: Readonly<Record<AccuracyDtype, number>> = { float32: 4, int32: 4, int64: 8 };

/** Parses val_map.txt: whitespace-separated `<image> <label>` per line (Python's `int()` label). */
export function parseValMap(text: string, file: string): ImagenetLabel[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => {
    const cols = line.trim().split(/\s+/);
    const [image, label] = cols;
    if (image === undefined || image === '' || label === undefined) {
      throw new CmError('bad-input', `${file}:${i + 1}: expected '<image> <label>', got '${line}'`);
    }
    if (!/^[+-]?\d+$/.test(label.replaceAll('_', ''))) {
      throw new CmError('bad-input', `${file}:${i + 1}: label '${label}' is not an integer`);
    }
    return { image, label: BigInt(label.replaceAll('_', '')) };
  });
}

/** Parses the accuracy log JSON into its entries; every entry needs an integer qsl_idx and a data string. */
export function parseAccuracyLog(text: string, file: string): AccuracyLogEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CmError('bad-input', `${file}: not valid JSON (${(e as Error).message})`, {
      cause: e,
    });
  }
  if (!Array.isArray(parsed)) {
    throw new CmError('bad-input', `${file}: expected a JSON array of entries`);
  }
  return parsed.map((raw: unknown, i) => {
    const where = `${file}: entry ${i}`;
    if (typeof raw !== 'object' || raw === null)
      throw new CmError('bad-input', `${where} is not an object`);
    const { qsl_idx: qslIdx, data } = raw as Record<string, unknown>;
    if (typeof qslIdx !== 'number' || !Number.isInteger(qslIdx)) {
      throw new CmError('bad-input', `${where}: qsl_idx must be an integer`);
    }
    if (typeof data !== 'string')
      throw new CmError('bad-input', `${where}: data must be a hex string`);
    return { qslIdx, data };
  });
}

/** Bytes of a hex string as Python's bytes.fromhex reads it (pairs of hex digits, spaces between pairs). */
export function decodeHex(hex: string, where: string): Uint8Array {
  const tokens = hex.split(' ').filter((t) => t !== '');
  if (!tokens.every((t) => /^(?:[0-9A-Fa-f]{2})*$/.test(t))) {
    throw new CmError('bad-input', `${where}: data '${hex}' is not hex (pairs of 0-9A-F)`);
  }
  const joined = tokens.join('');
  const bytes = new Uint8Array(joined.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(joined.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** The predicted class: element 0 of the bytes read as a little-endian `dtype` array, as `int()`. */
export function decodeClass(bytes: Uint8Array, dtype: AccuracyDtype, where: string): bigint {
  const size = ITEM_SIZE[dtype];
  if (bytes.length === 0 || bytes.length % size !== 0) {
    throw new CmError(
      'bad-input',
      `${where}: ${bytes.length} data bytes are not a non-empty ${dtype} array (${size} bytes each)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'float32': {
      const value = view.getFloat32(0, true);
      if (!Number.isFinite(value))
        throw new CmError('bad-input', `${where}: float32 ${value} is not a class`);
      return BigInt(Math.trunc(value));
    }
    case 'int32':
      return BigInt(view.getInt32(0, true));
    case 'int64':
      return view.getBigInt64(0, true);
    default: {
      const never: never = dtype;
      throw new Error(`unhandled dtype ${String(never)}`);
    }
  }
}

/**
 * Scores the entries in file order: the first entry of each qsl_idx counts, later ones are
 * duplicates; the denominator is the number of distinct indices. `file` names the log in errors.
 */
export function computeImagenetAccuracy(
  entries: readonly AccuracyLogEntry[],
  labels: readonly ImagenetLabel[],
  options: { dtype?: AccuracyDtype; file?: string } = {},
): ImagenetAccuracy {
  const dtype = options.dtype ?? 'float32';
  const file = options.file ?? 'mlperf_log_accuracy.json';
  const seen = new Set<number>();
  const mismatches: AccuracyMismatch[] = [];
  let good = 0;
  entries.forEach((entry, i) => {
    if (seen.has(entry.qslIdx)) return;
    seen.add(entry.qslIdx);
    const where = `${file}: entry ${i} (qsl_idx ${entry.qslIdx})`;
    const label = labels[entry.qslIdx];
    if (entry.qslIdx < 0 || label === undefined) {
      throw new CmError(
        'bad-input',
        `${where}: no label (the label file has ${labels.length} lines)`,
      );
    }
    const found = decodeClass(decodeHex(entry.data, where), dtype, where);
    if (found === label.label) good++;
    else
      mismatches.push({ qslIdx: entry.qslIdx, image: label.image, expected: label.label, found });
  });
  const total = seen.size;
  if (total === 0) throw new CmError('bad-input', `${file}: no entries, accuracy is undefined`);
  const line = `accuracy=${formatFixedPython((100.0 * good) / total, 3)}%, good=${good}, total=${total}`;
  return { total, good, duplicates: entries.length - total, mismatches, line };
}
