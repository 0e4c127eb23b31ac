// One result with what a reader needs to trust and reproduce it (gui.md §5.5 item 3): the run's
// and the step's inputs, the step folder's files, badges and the commands that replay it.
import {
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  openSync,
  readSync,
  closeSync,
} from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { CmError } from '../../../core/errors.js';
import { originalCommand, replayCommand } from '../../../core/results/commands.js';
import type { ResultDetail, ResultRow } from '../../../core/results/types.js';
import type { StepFile } from '../result-store.js';
import type { ExperimentInfo } from './experiment-rows.js';

/** Largest step file sent whole (bigger ones are cut, saying so). */
export const STEP_FILE_CAP = 1024 * 1024;
const MAX_LISTED_FILES = 200;

function readJsonObject(file: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Files under `dir` (relative paths, sizes), breadth-first, at most MAX_LISTED_FILES. */
function listFiles(dir: string): Array<{ path: string; size: number }> {
  const out: Array<{ path: string; size: number }> = [];
  const queue = [dir];
  while (queue.length > 0 && out.length < MAX_LISTED_FILES) {
    const d = queue.shift()!;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const p = join(d, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) queue.push(p);
      else if (st.isFile())
        out.push({ path: relative(dir, p).split(sep).join('/'), size: st.size });
      if (out.length >= MAX_LISTED_FILES) break;
    }
  }
  return out;
}

export function buildResultDetail(
  e: ExperimentInfo,
  dir: string,
  row: ResultRow | undefined,
  _rows: readonly ResultRow[],
): ResultDetail {
  const runDir = join(e.path, dir);
  const runInput = readJsonObject(join(runDir, 'cm-input.json'));
  const uid = row?.uid;
  const stepDir = uid ? join(runDir, uid) : undefined;
  const stepInput = stepDir ? readJsonObject(join(stepDir, 'cm-input.json')) : undefined;
  const badges = row
    ? Object.keys(row).filter((k) => k.startsWith('acm_ctuning_repro_badge_') && Boolean(row[k]))
    : [];
  const name = e.alias || e.uid;
  const original = runInput ? originalCommand(runInput) : undefined;
  return {
    row: row ?? ({} as ResultRow),
    ...(runInput ? { runInput } : {}),
    ...(stepInput ? { stepInput } : {}),
    files:
      stepDir && statSync(stepDir, { throwIfNoEntry: false })?.isDirectory()
        ? listFiles(stepDir)
        : [],
    reports: [],
    badges,
    commands: {
      replay: replayCommand(name, dir, uid),
      ...(original ? { original } : {}),
    },
  };
}

/** Refuses `..`, absolute paths and anything that resolves (links included) outside `base`. */
export function confinedPath(base: string, path: string): string {
  const parts = path.split(/[\\/]/);
  if (path === '' || path.startsWith('/') || parts.some((p) => p === '..' || p === ''))
    throw new CmError(
      'permission-denied',
      `refused path "${path}": it must stay inside the step folder`,
      {
        details: { status: 400 },
      },
    );
  const full = resolve(base, path);
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    throw new CmError('file-not-found', `no file "${path}" in this step folder`);
  }
  const realBase = realpathSync(base);
  if (!real.startsWith(realBase + sep))
    throw new CmError(
      'permission-denied',
      `refused path "${path}": it leads outside the step folder`,
      {
        details: { status: 400 },
      },
    );
  return real;
}

export function readStepFile(
  expPath: string,
  dir: string,
  uid: string,
  path: string,
): StepFile | undefined {
  if (
    [dir, uid].some(
      (p) => p === '' || p.includes('/') || p.includes('\\') || p === '..' || p === '.',
    )
  )
    throw new CmError('permission-denied', 'refused run folder or uid', {
      details: { status: 400 },
    });
  const stepDir = join(expPath, dir, uid);
  if (!statSync(stepDir, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  const file = confinedPath(stepDir, path);
  const st = statSync(file);
  if (!st.isFile()) throw new CmError('file-not-found', `"${path}" is not a file`);
  const size = Math.min(st.size, STEP_FILE_CAP);
  const bytes = new Uint8Array(size);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, bytes, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  return { bytes, truncated: st.size > STEP_FILE_CAP };
}
