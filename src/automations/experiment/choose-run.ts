// Which run folder a sweep records into: a new one (default), --dir, --rerun (an existing recorded
// run: appended to) or --resume (the newest started run, finishing what is missing).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import type { CmContext } from '../context.js';
import {
  createRunFolder,
  recordedRunFolders,
  RUN_INPUT_FILE,
  startedRunFolders,
} from './run-folder.js';

export type RunMode = 'new' | 'dir' | 'rerun' | 'resume';

/** --dir as a folder inside the artifact (a name, or a path in it). */
function givenDir(artifactDir: string, dir: string): string {
  const path = isAbsolute(dir) ? dir : join(artifactDir, dir);
  const rel = relative(artifactDir, resolve(path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw new CmError('bad-input', `--dir=${dir} is not a run folder inside ${artifactDir}`, {
      hint: 'give the name of a run folder of this experiment (cm show experiment NAME lists them)',
    });
  return resolve(path);
}

async function pick(ctx: CmContext, runs: string[], what: string, flag: string): Promise<string> {
  if (runs.length === 1) return runs[0]!;
  const newestFirst = [...runs].reverse();
  if (!ctx.isInteractive)
    throw new CmError(
      'bad-input',
      `more than 1 ${what} in this experiment: choose one with --dir`,
      {
        hint: `${flag} --dir=NAME, one of:\n  ${newestFirst.map((r) => r.split(/[\\/]/).pop()).join('\n  ')}`,
      },
    );
  const list = newestFirst.map((r, i) => `${i}) ${r}`).join('\n');
  ctx.emit({ type: 'info', text: `${what}s:\n${list}` });
  const answer = (await ctx.ask('Make your selection or press Enter for 0 (the newest): ')).trim();
  const k = answer === '' ? 0 : Number(answer);
  return newestFirst[Number.isInteger(k) && k >= 0 && k < runs.length ? k : 0]!;
}

export async function chooseRunFolder(
  ctx: CmContext,
  artifactDir: string,
  o: { dir?: string; rerun: boolean; resume: boolean },
): Promise<{ runDir: string; mode: RunMode }> {
  if (o.rerun && o.resume)
    throw new CmError(
      'bad-input',
      '--rerun adds steps to a run and --resume finishes one: choose one',
    );
  if (o.dir !== undefined) {
    const runDir = givenDir(artifactDir, o.dir);
    if (o.resume && !existsSync(join(runDir, RUN_INPUT_FILE)))
      throw new CmError('bad-input', `--resume: ${runDir} holds no run (no ${RUN_INPUT_FILE})`);
    mkdirSync(runDir, { recursive: true });
    return { runDir, mode: o.resume ? 'resume' : o.rerun ? 'rerun' : 'dir' };
  }
  if (o.resume) {
    const runs = startedRunFolders(artifactDir);
    if (runs.length === 0)
      throw new CmError('bad-input', `--resume: no run to resume in ${artifactDir}`, {
        hint: 'run the sweep without --resume first',
      });
    return { runDir: runs[runs.length - 1]!, mode: 'resume' };
  }
  if (o.rerun) {
    const runs = recordedRunFolders(artifactDir);
    if (runs.length === 0) return { runDir: createRunFolder(artifactDir), mode: 'new' };
    return { runDir: await pick(ctx, runs, 'recorded run', '--rerun'), mode: 'rerun' };
  }
  return { runDir: createRunFolder(artifactDir), mode: 'new' };
}

/** The input a run was started with (its cm-input.json). */
export function readRunInput(runDir: string): Dict {
  const file = join(runDir, RUN_INPUT_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CmError('file-not-found', `${file} not found - can't replay`, {
      hint: 'only runs recorded with their cm-input.json can be replayed or resumed',
    });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isDict(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw new CmError('bad-input', `${file}: not a JSON object - can't replay`);
}
