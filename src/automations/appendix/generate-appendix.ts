// `cm generate appendix`: an ACM/IEEE-style Artifact Appendix (Markdown) of a script, an experiment
// and the lockfiles of their runs. Not an automation: a document made from several artifacts'
// records (src/cli/appendix-command.ts is its command line).
import { resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import type { CmContext } from '../context.js';
import type { AppendixSources } from './appendix-sources.js';
import { renderAppendix } from './appendix-markdown.js';
import { experimentFacts } from './experiment-facts.js';
import { readLockedRun } from './locked-run.js';
import { plannedRun, scriptOfLock, type ScriptFacts } from './script-facts.js';

export interface AppendixRequest {
  /** Lockfiles, as given (relative to the working folder). */
  locks: string[];
  /** The tags (or name) of a script, as `cm run script "TAGS"` takes them. */
  script?: string;
  experiment?: string;
  /** The experiment's run folder (default: its newest recorded run). */
  dir?: string;
}

export const APPENDIX_USAGE = [
  'cm generate appendix --lock=cm-lock.json [--lock=...]',
  'cm generate appendix script "TAGS" [--lock=FILE ...]',
  'cm generate appendix experiment NAME [--dir=RUN]',
];

/** What the appendix is made from: every lockfile read and checked first (a bad one stops it). */
export async function appendixSources(
  ctx: CmContext,
  req: AppendixRequest,
): Promise<AppendixSources> {
  if (req.locks.length === 0 && req.script === undefined && req.experiment === undefined)
    throw new CmError(
      'bad-input',
      'cm generate appendix needs something to describe: a lockfile, a script or an experiment',
      { hint: APPENDIX_USAGE.join('\n') },
    );
  const runs = req.locks.map((f) => readLockedRun(resolve(ctx.cwd, f), f));
  const sources: AppendixSources = { runs, planned: false, cmVersion: ctx.version };
  if (req.experiment !== undefined) {
    const got = await experimentFacts(ctx, req.experiment, req.dir);
    sources.experiment = got.experiment;
    runs.push(...got.runs);
  }
  let script: ScriptFacts | undefined;
  if (req.script !== undefined) {
    // Selected as a run would (and its deps resolved): a plan, nothing runs.
    const plan = await plannedRun(ctx, req.script);
    script = scriptOfLock(ctx, plan.lock);
    if (runs.length === 0) {
      runs.push(plan);
      sources.planned = true;
    }
  } else if (runs[0]) script = scriptOfLock(ctx, runs[0].lock);
  if (script) sources.script = script;
  return sources;
}

/** The appendix's Markdown and what it was made from. */
export async function generateAppendix(
  ctx: CmContext,
  req: AppendixRequest,
): Promise<{ text: string; sources: AppendixSources }> {
  const sources = await appendixSources(ctx, req);
  return { text: renderAppendix(sources), sources };
}
