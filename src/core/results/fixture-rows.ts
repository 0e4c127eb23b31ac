// Result rows shared by the query engine's tests: an MLPerf-like experiment and a sweep with
// repetitions. Test data only; nothing in the engine imports it.
import type { ResultRow } from './types.js';

/** A row of experiment `e1`, run `d1`, with provenance fields set from `uid`. */
export function row(uid: string, fields: Record<string, unknown>): ResultRow {
  return {
    _id: `e1/d1/${uid}`,
    experiment_uid: 'e1',
    experiment_alias: 'mlperf-demo',
    experiment_tags: 'mlperf,demo',
    experiment_dir: 'd1',
    uid,
    ...fields,
  };
}

/** MLPerf-like rows, frozen so that any mutation by the engine throws. */
export const MLPERF: readonly ResultRow[] = [
  ['r1', 'resnet50', 'v4.0', 1000, 100, 76.1],
  ['r2', 'resnet50', 'v4.0', 1500, 200, 76.0],
  ['r3', 'resnet50', 'v4.1', 1200, 90, 75.9],
  ['r4', 'bert-99', 'v4.1', 800, 120, 90.2],
  ['r5', 'bert-99', 'v4.0', 2000, 400, 90.1],
  ['r6', 'llama2-70b', 'v4.1', 50, 700, 69.0],
  ['r7', 'llama2-70b', 'v4.0', 60, 650, 68.5],
  ['r8', 'gptj-99', 'v4.1', 300, 300, 99.0],
].map(([uid, Model, version, Result, Result_Power, Accuracy]) =>
  Object.freeze(row(String(uid), { Model, version, Result, Result_Power, Accuracy })),
);

export const ids = (rows: readonly ResultRow[]): string[] => rows.map((r) => r.uid);

/** A sweep of A and B with repeated `time` measurements; `acc` is not numeric. */
export const SWEEP: readonly ResultRow[] = [
  [1, 1, 10],
  [1, 1, 12],
  [1, 1, 14],
  [1, 2, 20],
  [2, 1, 5],
  [2, 1, 7],
].map(([A, B, time], i) => row(`s${i}`, { A, B, time, acc: 'n/a' }));
