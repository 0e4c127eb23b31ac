// An experiment as an Artifact Appendix describes it: its meta, one recorded run (the newest, or
// --dir) with the input it was started with, its results, the host it ran on (cm-run.json) and
// the lockfiles its steps' `cm run script` commands wrote (cme --lock, --repro).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import type { CmContext } from '../context.js';
import { resolveAutomation } from '../registry.js';
import { resolveExperiment } from '../experiment/experiment-artifact.js';
import { readResults } from '../experiment/results-file.js';
import {
  RESULTS_FILE,
  RUN_INPUT_FILE,
  RUN_RECORD_FILE,
  recordedRunFolders,
} from '../experiment/run-folder.js';
import { stepLockfiles } from '../experiment/step-lockfiles.js';
import { loadMeta } from '../script/select.js';
import { readLockedRun, type LockedRun } from './locked-run.js';

export interface ExperimentFacts {
  alias: string;
  uid: string;
  tags: string[];
  meta: Dict;
  /** The run folder's name (the lockfiles are named relative to the experiment's folder). */
  runName: string;
  /** What the run was started with (its cm-input.json). */
  input: Dict;
  results: Array<Record<string, unknown>>;
  /** From cm-run.json: the host and CM version it ran on, where recorded. */
  host?: Dict;
  cmVersion?: string;
}

function readJsonObject(file: string): Dict | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isDict(parsed) ? parsed : undefined;
  } catch {
    // cm-run.json is provenance only: without it the appendix leaves the host out.
    return undefined;
  }
}

function runFolderOf(path: string, name: string, dir: string | undefined): string {
  const runs = recordedRunFolders(path);
  if (dir !== undefined) {
    const runDir = runs.find((r) => basename(r) === basename(dir));
    if (runDir) return runDir;
    throw new CmError('artifact-not-found', `experiment ${name} has no recorded run ${dir}`, {
      hint: runs.length
        ? `its recorded runs: ${runs.map((r) => basename(r)).join(', ')}`
        : `record one: cme ${name} --lock -- COMMAND`,
    });
  }
  const newest = runs[runs.length - 1];
  if (newest === undefined)
    throw new CmError('artifact-not-found', `experiment ${name} has no recorded run`, {
      hint: `record one: cme ${name} --lock -- COMMAND`,
    });
  return newest;
}

/** Experiment `name` and the lockfiles of its run's steps, in step order. */
export async function experimentFacts(
  ctx: CmContext,
  name: string,
  dir: string | undefined,
): Promise<{ experiment: ExperimentFacts; runs: LockedRun[] }> {
  const automation = resolveAutomation(ctx, 'experiment');
  const { entry } = await resolveExperiment(ctx, automation, { artifact: name, tags: [] }, false);
  const runDir = runFolderOf(entry.path, name, dir);
  const runName = basename(runDir);
  const input = readJsonObject(join(runDir, RUN_INPUT_FILE)) ?? {};
  const record = readJsonObject(join(runDir, RUN_RECORD_FILE));
  const results = readResults(join(runDir, RESULTS_FILE));
  const runs: LockedRun[] = [];
  for (const row of results) {
    if (typeof row['uid'] !== 'string') continue;
    for (const file of stepLockfiles(join(runDir, row['uid'])))
      runs.push(readLockedRun(join(runDir, row['uid'], file), `${runName}/${row['uid']}/${file}`));
  }
  const experiment: ExperimentFacts = {
    alias: entry.alias,
    uid: entry.uid,
    tags: entry.tags,
    meta: loadMeta(ctx, entry),
    runName,
    input,
    results,
  };
  if (isDict(record?.['host'])) experiment.host = record['host'];
  if (typeof record?.['cm_version'] === 'string') experiment.cmVersion = record['cm_version'];
  return { experiment, runs };
}
