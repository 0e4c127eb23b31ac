// One result with what a reader needs to trust and reproduce it (gui.md §5.5 item 3): the run's
// and the step's inputs, the step folder's files, badges and the commands that replay it.
import { readFileSync, realpathSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { CmError } from '../../../core/errors.js';
import { folderFiles } from '../../../db/folder-files.js';
import { reproBadges } from '../../../core/results/badges.js';
import { originalCommand, replayCommand } from '../../../core/results/commands.js';
import { RUN_INPUT_FILE } from '../../../automations/experiment/run-folder.js';
import { STEP_INPUT_FILE } from '../../../automations/experiment/step-folder.js';
import type { ResultDetail, ResultRow } from '../../../core/results/types.js';
import type { StepFile } from '../result-store.js';
import type { ExperimentInfo } from './experiment-rows.js';

/** Largest step file sent whole (bigger ones are cut, saying so). */
export const STEP_FILE_CAP = 1024 * 1024;
const MAX_LISTED_FILES = 200;

/** A JSON object file (a run's or a step's cm-input.json); undefined when absent or not one. */
export function readJsonObject(file: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A folder name that stays where it is joined: no separator, not "." or "..". */
function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[\\/]/.test(name);
}

/** A result of run `dir` of experiment `e`, with its run's and step's inputs and files. */
export function buildResultDetail(e: ExperimentInfo, dir: string, row: ResultRow): ResultDetail {
  const runDir = join(e.path, dir);
  const runInput = readJsonObject(join(runDir, RUN_INPUT_FILE));
  // A uid is a step folder's name only when it is a plain name (a results file is hand-editable).
  const stepDir = isPlainName(row.uid) ? join(runDir, row.uid) : undefined;
  const stepInput = stepDir ? readJsonObject(join(stepDir, STEP_INPUT_FILE)) : undefined;
  const original = runInput ? originalCommand(runInput) : undefined;
  return {
    row,
    ...(runInput ? { runInput } : {}),
    ...(stepInput ? { stepInput } : {}),
    files:
      stepDir && statSync(stepDir, { throwIfNoEntry: false })?.isDirectory()
        ? folderFiles(stepDir, MAX_LISTED_FILES)
        : [],
    reports: [],
    badges: reproBadges(row),
    commands: {
      replay: replayCommand(e.alias || e.uid, dir, row.uid),
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
  if (![dir, uid].every(isPlainName))
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
