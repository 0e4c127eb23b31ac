// Run folders of an experiment artifact (CM layout, spec §3): named after their start time,
// YYYY-MM-DD.HH-MM-SS.ffffff in local time, with .1, .2 ... when that name is taken.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const RUN_INPUT_FILE = 'cm-input.json';
export const RESULTS_FILE = 'cm-result.json';
export const RUN_RECORD_FILE = 'cm-run.json';
/** Held by the process that runs a sweep in the folder (resume refuses a live one). */
export const SWEEP_LOCK = '.cm-sweep.lock';

const RUN_NAME = /^\d{4}-\d\d-\d\d\.\d\d-\d\d-\d\d\.\d{6}(\.\d+)?$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The folder name of a run started at `epochMs` (fractional milliseconds give the microseconds). */
export function runFolderName(epochMs: number): string {
  const d = new Date(Math.floor(epochMs));
  const micros = Math.floor((epochMs - Math.floor(epochMs / 1000) * 1000) * 1000);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}.` +
    `${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}.${pad(micros, 6)}`
  );
}

/** Local time as ISO 8601 with microseconds and no zone, as Python's datetime.isoformat(). */
export function isoLocal(epochMs: number): string {
  const name = runFolderName(epochMs);
  return `${name.slice(0, 10)}T${name.slice(11, 19).replace(/-/g, ':')}.${name.slice(20, 26)}`;
}

/** Now, with microseconds. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Make a new run folder in `artifactDir`; returns its path. */
export function createRunFolder(artifactDir: string, epochMs = nowMs()): string {
  const base = runFolderName(epochMs);
  for (let k = 0; ; k++) {
    const path = join(artifactDir, k === 0 ? base : `${base}.${k}`);
    try {
      mkdirSync(path);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Run folders of `artifactDir` that hold `file`, oldest first. */
function runFoldersWith(artifactDir: string, file: string): string[] {
  let names: string[];
  try {
    names = readdirSync(artifactDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
  return names
    .filter((n) => existsSync(join(artifactDir, n, file)))
    .sort(compareRunNames)
    .map((n) => join(artifactDir, n));
}

/** Run folders that recorded results (they hold cm-result.json), oldest first. */
export function recordedRunFolders(artifactDir: string): string[] {
  return runFoldersWith(artifactDir, RESULTS_FILE);
}

/** Run folders with a run input (recorded or interrupted before any result), oldest first. */
export function startedRunFolders(artifactDir: string): string[] {
  return runFoldersWith(artifactDir, RUN_INPUT_FILE);
}

/** Our names sort by time (a .N suffix after its base); other names after them, by name. */
function compareRunNames(a: string, b: string): number {
  const ka = RUN_NAME.test(a) ? 0 : 1;
  const kb = RUN_NAME.test(b) ? 0 : 1;
  if (ka !== kb) return ka - kb;
  const [ba, sa] = splitSuffix(a);
  const [bb, sb] = splitSuffix(b);
  if (ba !== bb) return ba < bb ? -1 : 1;
  return sa - sb;
}

function splitSuffix(name: string): [string, number] {
  const m = /^(.*\.\d{6})\.(\d+)$/.exec(name);
  return m ? [m[1]!, Number(m[2])] : [name, 0];
}
