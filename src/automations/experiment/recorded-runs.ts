// Reading the recorded runs of one experiment artifact in any of the three layouts (CM
// `cm-result.json`, CMX `cmx-result-summary.json` or per-step files, MLC `run_*/mlc-output.json`)
// as flat results. A file broken by hand becomes a problem of its run, never a failed read.

import { readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { flatParsedResult, isPlainObject } from '../../core/experiment/flatten.js';
import { fromFsError } from '../../db/fs-error.js';
import { jsonErrorReason, locateJsonError } from './json-error-location.js';

export type RunLayout = 'cm' | 'cmx' | 'mlc';

export interface RecordedRun {
  /** The run folder's name. */
  name: string;
  dir: string;
  layout: RunLayout;
  /** When the run began, from the folder name (local time, ISO without zone); absent otherwise. */
  started?: string;
  /** Flat results, in recorded order; CMX values stay as stored (often strings). */
  results: Array<Record<string, unknown>>;
  /** What could not be read: "<file>:<line>:<column>: invalid JSON: ...", a non-list file ... */
  problems: string[];
}

/**
 * The runs in `artifactDir`, newest first (by the time in the folder name, else the folder's
 * modification time). A folder is a run when it holds cm-result.json (CM), cmx-result-summary.json
 * or step-N/cmx-result.json (CMX), or is named run_YYYY-MM-DD_HH-MM-SS (MLC); other folders and
 * files (cm-input.json, cm-run.json ...) are ignored.
 */
export function readRecordedRuns(
  artifactDir: string,
  onRun?: (run: RecordedRun) => void,
): RecordedRun[] {
  // Ordered by name (or folder time) before any file is read, so that `onRun` can take each run's
  // results as it is read and let them go (100,000 results need not be alive at once).
  const folders: Array<{ name: string; dir: string; sortKey: string }> = [];
  for (const entry of listDir(artifactDir)) {
    if (!isDir(artifactDir, entry)) continue;
    const dir = join(artifactDir, entry.name);
    const sortKey = startedOf(entry.name) ?? localIso(statSync(dir).mtime);
    folders.push({ name: entry.name, dir, sortKey });
  }
  folders.sort(
    (a, b) =>
      compareText(b.sortKey, a.sortKey) || b.name.localeCompare(a.name, 'en', { numeric: true }),
  );
  const runs: RecordedRun[] = [];
  for (const f of folders) {
    const run = readRun(f.name, f.dir);
    if (run === undefined) continue;
    onRun?.(run);
    runs.push(run);
  }
  return runs;
}

function readRun(name: string, dir: string): RecordedRun | undefined {
  const files = new Set(listDir(dir).map((e) => e.name));
  const started = startedOf(name);
  const run = (layout: RunLayout): RecordedRun => ({
    name,
    dir,
    layout,
    ...(started === undefined ? {} : { started }),
    results: [],
    problems: [],
  });
  if (files.has('cm-result.json')) {
    const r = run('cm');
    readResultList(join(dir, 'cm-result.json'), r);
    return r;
  }
  if (files.has('cmx-result-summary.json')) {
    const r = run('cmx');
    readResultList(join(dir, 'cmx-result-summary.json'), r);
    return r;
  }
  const steps = [...files]
    .filter((f) => /^step-\d+$/.test(f) && hasFile(join(dir, f), 'cmx-result.json'))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  if (steps.length > 0) {
    const r = run('cmx');
    for (const step of steps) readOneResult(join(dir, step, 'cmx-result.json'), r);
    return r;
  }
  if (MLC_RUN.test(name)) {
    const r = run('mlc');
    const output = ['mlc-output.json', 'cm-output.json'].find((f) => files.has(f));
    if (output === undefined) r.problems.push(`${dir}: no mlc-output.json or cm-output.json`);
    else readOneResult(join(dir, output), r);
    return r;
  }
  return undefined;
}

/** A file holding a JSON list of result objects: bad entries are problems, the rest are kept. */
function readResultList(file: string, run: RecordedRun): void {
  const value = readJson(file, run.problems);
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    run.problems.push(`${file}: expected a JSON list of results, found ${kindOf(value)}`);
    return;
  }
  value.forEach((entry: unknown, i) => {
    if (isPlainObject(entry)) run.results.push(flatParsedResult(entry));
    else run.problems.push(`${file}: result ${i + 1} is ${kindOf(entry)}, not a JSON object`);
  });
}

/** A file holding one result object (a CMX step, an MLC run). */
function readOneResult(file: string, run: RecordedRun): void {
  const value = readJson(file, run.problems);
  if (value === undefined) return;
  if (isPlainObject(value)) run.results.push(flatParsedResult(value));
  else run.problems.push(`${file}: expected a JSON object, found ${kindOf(value)}`);
}

/** The parsed file, or undefined with a problem naming the file (and line:column of bad JSON). */
function readJson(file: string, problems: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    problems.push(`${file}: cannot be read (${code})`);
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const message = (e as Error).message;
    const at = locateJsonError(text, message);
    problems.push(`${file}:${at.line}:${at.column}: invalid JSON: ${jsonErrorReason(message)}`);
    return undefined;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

// CM: 2023-06-09.09-58-02.863466 (fraction optional, then an optional .N collision suffix);
// CMX: 20230609.095802[.N]; MLC: run_2023-06-09_09-58-02.
const CM_RUN = /^(\d{4}-\d\d-\d\d)\.(\d\d)-(\d\d)-(\d\d)(?:\.(\d{6}))?(?:\.\d+)?$/;
const CMX_RUN = /^(\d{4})(\d\d)(\d\d)\.(\d\d)(\d\d)(\d\d)(?:\.\d+)?$/;
const MLC_RUN = /^run_(\d{4}-\d\d-\d\d)_(\d\d)-(\d\d)-(\d\d)$/;

/** The start time spelled by a run folder's name, as local ISO (`2023-06-09T09:58:02.863466`). */
export function startedOf(name: string): string | undefined {
  let m = CM_RUN.exec(name);
  if (m) return `${m[1]}T${m[2]}:${m[3]}:${m[4]}${m[5] === undefined ? '' : `.${m[5]}`}`;
  m = CMX_RUN.exec(name);
  if (m) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  m = MLC_RUN.exec(name);
  if (m) return `${m[1]}T${m[2]}:${m[3]}:${m[4]}`;
  return undefined;
}

function localIso(d: Date): string {
  const two = (v: number): string => String(v).padStart(2, '0');
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  const ms = String(d.getMilliseconds()).padStart(3, '0');
  return `${date}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${ms}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CmError('file-not-found', `experiment folder ${dir} does not exist`, {
        hint: 'find the experiment with: cm find experiment --tags=...',
      });
    }
    throw fromFsError(e) ?? e;
  }
}

function isDir(parent: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(parent, entry.name)).isDirectory();
  } catch {
    return false; // a dangling link is not a run
  }
}

function hasFile(dir: string, name: string): boolean {
  try {
    return statSync(join(dir, name)).isFile();
  } catch {
    return false; // not there (or unreadable): the step has no result file
  }
}
