// TEST01 when the sampled responses differ (a non-deterministic SUT): the official procedure's
// second chance. The accuracy run's log is cut to the samples the performance run logged (as
// create_accuracy_baseline.sh does: its entries for those qsl_idx, in its own order, duplicates
// kept), both are scored by the accuracy script, and the two accuracies must agree within the
// tolerance. Writes TEST01/accuracy/{baseline_accuracy.txt, compliance_accuracy.txt, accuracy.txt}.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  computeImagenetAccuracy,
  parseAccuracyLog,
  parseValMap,
  type AccuracyDtype,
  type AccuracyLogEntry,
} from '../submission/accuracy-imagenet.js';
import { accuracyDelta, type AccuracyDelta } from './accuracy-delta.js';

/** The accuracy run's entries for the samples the performance run logged. */
export function baselineEntries(
  accuracyRun: readonly AccuracyLogEntry[],
  performanceRun: readonly AccuracyLogEntry[],
): AccuracyLogEntry[] {
  const sampled = new Set(performanceRun.map((e) => e.qslIdx));
  return accuracyRun.filter((e) => sampled.has(e.qslIdx));
}

export interface FallbackInput {
  reference: { text: string; path: string };
  test: { text: string; path: string };
  valMap: { text: string; path: string };
  dtype: AccuracyDtype;
  model: string;
  /** TEST01/accuracy, where the three files go. */
  outDir: string;
}

export async function test01Fallback(
  o: FallbackInput,
): Promise<AccuracyDelta & { files: string[] }> {
  const labels = parseValMap(o.valMap.text, o.valMap.path);
  const perf = parseAccuracyLog(o.test.text, o.test.path);
  const base = baselineEntries(parseAccuracyLog(o.reference.text, o.reference.path), perf);
  const baselineLine = computeImagenetAccuracy(base, labels, {
    dtype: o.dtype,
    file: `${o.reference.path} (the samples of ${o.test.path})`,
  }).line;
  const complianceLine = computeImagenetAccuracy(perf, labels, {
    dtype: o.dtype,
    file: o.test.path,
  }).line;
  const files = ['baseline_accuracy.txt', 'compliance_accuracy.txt', 'accuracy.txt'].map((f) =>
    join(o.outDir, f),
  );
  await writeFile(files[0]!, `${baselineLine}\n`);
  await writeFile(files[1]!, `${complianceLine}\n`);
  // The checker wants accuracy.txt in TEST01/accuracy too: the score of that folder's log.
  await writeFile(files[2]!, `${complianceLine}\n`);
  return { ...accuracyDelta(baselineLine, complianceLine, o.model), files };
}
