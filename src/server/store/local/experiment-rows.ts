// The recorded results of one local experiment artifact as ResultRows, read once and kept while
// the run folders' results files keep their modification time and size (gui.md §5.1).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  readRecordedRuns,
  type RecordedRun,
} from '../../../automations/experiment/recorded-runs.js';
import { withResultUids } from '../../../core/results/result-uid.js';
import type { ResultRow, RunSummary } from '../../../core/results/types.js';

export interface ExperimentInfo {
  uid: string;
  alias: string;
  tags: string[];
  path: string;
  repo: string;
  meta: Record<string, unknown>;
}

export interface ExperimentRows {
  stamp: string;
  rows: ResultRow[];
  runs: RunSummary[];
  /** Rows of each run folder, by its name. */
  byRun: Map<string, ResultRow[]>;
  problems: string[];
}

const RESULT_FILES = ['cm-result.json', 'cmx-result-summary.json', 'cm-input.json'];

/**
 * What changes when results change: the run folders and the stamps of their results files. A
 * folder of another layout (CMX steps, MLC runs) counts by its own modification time.
 */
export function stampOf(path: string): string {
  const parts: string[] = [];
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch {
    return 'missing';
  }
  for (const name of names) {
    const dir = join(path, name);
    let st;
    try {
      st = statSync(dir);
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    parts.push(`${name}@${st.mtimeMs}`);
    for (const f of RESULT_FILES) {
      try {
        const fs = statSync(join(dir, f));
        parts.push(`${f}:${fs.mtimeMs}:${fs.size}`);
      } catch {
        // absent: nothing to stamp
      }
    }
  }
  return parts.join('|');
}

function rowsOf(e: ExperimentInfo, run: RecordedRun): ResultRow[] {
  const tags = e.tags.join(',');
  // The same uid as cm push gives a row recorded without one (result-uid.ts).
  return withResultUids(run.results).map((r) => {
    const row = r as ResultRow;
    const uid = row.uid;
    row._id = `${e.uid}/${run.name}/${uid}`;
    row.experiment_uid = e.uid;
    row.experiment_alias = e.alias;
    row.experiment_tags = tags;
    row.experiment_dir = run.name;
    return row;
  });
}

/** Reads every run of `e` (newest run first, rows in recorded order). */
export function readExperimentRows(e: ExperimentInfo, stamp: string): ExperimentRows {
  const rows: ResultRow[] = [];
  const runs: RunSummary[] = [];
  const byRun = new Map<string, ResultRow[]>();
  const problems: string[] = [];
  readRecordedRuns(e.path, (run) => {
    const own = rowsOf(e, run);
    byRun.set(run.name, own);
    for (const r of own) rows.push(r);
    let hasInput = false;
    try {
      hasInput = statSync(join(run.dir, 'cm-input.json')).isFile();
    } catch {
      hasInput = false;
    }
    runs.push({
      dir: run.name,
      results: own.length,
      ...(run.started ? { started: run.started } : {}),
      hasInput,
    });
    for (const p of run.problems) problems.push(p);
    run.results = [];
  });
  return { stamp, rows, runs, byRun, problems };
}

/** A cache of experiments' rows, refreshed when their stamp changes. */
export class RowCache {
  readonly #entries = new Map<string, ExperimentRows>();

  get(e: ExperimentInfo): ExperimentRows {
    const stamp = stampOf(e.path);
    const known = this.#entries.get(e.path);
    if (known && known.stamp === stamp) return known;
    const fresh = readExperimentRows(e, stamp);
    this.#entries.set(e.path, fresh);
    return fresh;
  }

  /** The stamp last read for `path` (undefined before the first read). */
  knownStamp(path: string): string | undefined {
    return this.#entries.get(path)?.stamp;
  }
}
