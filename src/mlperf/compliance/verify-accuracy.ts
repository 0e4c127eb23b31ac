// TEST01's verify_accuracy (spec loadgen.md §1.8): every response a performance run logged (its
// accuracy log, sampled by the audit config) whose sample also appears in the accuracy run's log
// must have the same first element. The report is the official script's, line for line.
import { decodeHex, parseAccuracyLog } from '../submission/accuracy-imagenet.js';

export type VerifyDtype = 'byte' | 'float32' | 'int32' | 'int64';

export interface AccuracyVerification {
  isPassing: boolean;
  /** verify_accuracy.txt */
  report: string;
}

/** The first element of a response as `dtype`, or undefined for an empty one. */
function firstElement(hex: string, dtype: VerifyDtype, where: string): string | undefined {
  const bytes = decodeHex(hex, where);
  const size = dtype === 'byte' ? 1 : dtype === 'int64' ? 8 : 4;
  if (bytes.length < size) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'byte':
      return String(view.getInt8(0));
    case 'float32':
      return String(view.getFloat32(0, true));
    case 'int32':
      return String(view.getInt32(0, true));
    case 'int64':
      return String(view.getBigInt64(0, true));
  }
}

export function verifyAccuracy(o: {
  /** The accuracy run's mlperf_log_accuracy.json (text) and its path. */
  reference: { text: string; path: string };
  /** The compliance (performance) run's mlperf_log_accuracy.json. */
  test: { text: string; path: string };
  dtype?: VerifyDtype;
}): AccuracyVerification {
  const dtype = o.dtype ?? 'byte';
  const acc = parseAccuracyLog(o.reference.text, o.reference.path);
  const perf = parseAccuracyLog(o.test.text, o.test.path);
  const results = new Map<number, string>();
  let duplicateKeys = 0;
  let accMismatch = 0;
  for (const s of acc) {
    const seen = results.get(s.qslIdx);
    if (seen === undefined) results.set(s.qslIdx, s.data);
    else {
      duplicateKeys++;
      if (seen !== s.data) accMismatch++;
    }
  }
  let matches = 0;
  let perfMismatch = 0;
  let missing = 0;
  perf.forEach((s, i) => {
    const ref = results.get(s.qslIdx);
    if (ref === undefined) missing++;
    else {
      matches++;
      const a = firstElement(s.data, dtype, `${o.test.path}: entry ${i}`);
      const b = firstElement(ref, dtype, `${o.reference.path}: qsl_idx ${s.qslIdx}`);
      if (a !== b) perfMismatch++;
    }
    // As the official script: a later response of the same sample is compared with this one.
    results.set(s.qslIdx, s.data);
  });
  const isPassing = perfMismatch === 0 && matches > 0;
  const report = [
    'Verifying accuracy. This might take a while...',
    'Reading accuracy mode results...',
    'Reading performance mode results...',
    `num_acc_log_entries = ${acc.length}`,
    `num_acc_log_duplicate_keys = ${duplicateKeys}`,
    `num_acc_log_data_mismatch = ${accMismatch}`,
    `num_perf_log_entries = ${perf.length}`,
    `num_perf_log_qsl_idx_match = ${matches}`,
    `num_perf_log_data_mismatch = ${perfMismatch}`,
    `num_missing_qsl_idxs = ${missing}`,
    isPassing ? 'TEST PASS' : 'TEST FAIL',
    '',
  ].join('\n');
  return { isPassing, report: `${report}\n` };
}
