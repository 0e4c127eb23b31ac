// `cm push experiment NAME --server=URL`: the experiment's meta, run inputs and results to a team
// server, in batches that it stores once each: a re-push adds nothing, a broken push resumes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { didYouMean } from '../../core/did-you-mean.js';
import { CmError } from '../../core/errors.js';
import { isPlainObject } from '../../core/experiment/flatten.js';
import type { Dict } from '../../core/merge.js';
import {
  PUSH_BATCH_ROWS,
  type ExperimentPushAnswer,
  type ResultsPush,
  type ResultsPushAnswer,
} from '../../core/results/push-protocol.js';
import { withResultUids } from '../../core/results/result-uid.js';
import { tagList } from '../../core/tags.js';
import type { ArtifactEntry } from '../../db/artifact-entry.js';
import { readArtifactMeta } from '../../db/artifact.js';
import type { AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { automationFilter } from '../generic/select.js';
import { str } from '../input.js';
import { findExperiments } from './experiment-artifact.js';
import { readRecordedRuns, type RecordedRun } from './recorded-runs.js';
import { RUN_INPUT_FILE } from './run-folder.js';
import { callServer, serverTarget, type ServerTarget } from './server-client.js';
import { withoutSecrets } from '../../core/secrets.js';

/** Meta keys that travel as their own fields (or not at all). */
const OWN_KEYS = ['alias', 'uid', 'tags', 'automation_alias', 'automation_uid'];

/** The one experiment `input` names. */
export function oneExperiment(
  ctx: CmContext,
  automation: AutomationHandle,
  input: Dict,
  action: string,
): ArtifactEntry {
  const artifact = str(input, 'artifact');
  const tags = tagList(input['tags']);
  if ((artifact === undefined || artifact === '') && tags.length === 0)
    throw new CmError('bad-input', `name the experiment: cm ${action} experiment NAME`, {
      hint: 'or select it with --tags=...',
    });
  const found = findExperiments(ctx, automation, { tags, ...(artifact ? { artifact } : {}) });
  const what = [artifact, tags.length ? `tags=${tags.join(',')}` : ''].filter(Boolean).join(' ');
  if (found.length === 0)
    throw new CmError('artifact-not-found', `experiment not found: ${what}`, {
      hint:
        (artifact
          ? didYouMean(artifact, ctx.index.aliases(automationFilter(automation)))
          : undefined) ?? 'run "cm show experiment" to list the recorded experiments',
    });
  if (found.length > 1)
    throw new CmError('artifact-ambiguous', `${found.length} experiments match ${what}`, {
      hint: `name one of them:\n  ${found.map((e) => `${e.alias || e.uid} (${e.path})`).join('\n  ')}`,
    });
  return found[0]!;
}

/** The run's cm-input.json, when there is a readable one (else a warning, and none is sent). */
function runInput(ctx: CmContext, run: RecordedRun): Record<string, unknown> | undefined {
  const file = join(run.dir, RUN_INPUT_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (isPlainObject(value)) return value;
    ctx.emit({ type: 'warning', text: `${file}: not a JSON object, not pushed` });
  } catch (e) {
    ctx.emit({ type: 'warning', text: `${file}: ${(e as Error).message}; not pushed` });
  }
  return undefined;
}

/**
 * The step inputs of `rows` (each step folder's cm-input.json: its command and env) by result
 * uid, secrets left out: what the team server's result page shows.
 */
function stepInputs(
  run: RecordedRun,
  rows: ReadonlyArray<{ uid: string }>,
): Record<string, Record<string, unknown>> | undefined {
  if (run.layout !== 'cm') return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  let found = false;
  for (const { uid } of rows) {
    if (uid.includes('/') || uid.includes('\\') || uid.startsWith('.')) continue;
    const file = join(run.dir, uid, RUN_INPUT_FILE);
    if (!existsSync(file)) continue;
    try {
      const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (!isPlainObject(value)) continue;
      out[uid] = withoutSecrets(value) as Record<string, unknown>;
      found = true;
    } catch {
      // A step input broken by hand: its result is pushed without it.
    }
  }
  return found ? out : undefined;
}

interface Tally {
  inserted: number;
  skipped: number;
  done: number;
  total: number;
}

/** One run's results, in batches; the first batch carries the run's input and start time. */
async function pushRun(
  ctx: CmContext,
  target: ServerTarget,
  uid: string,
  run: RecordedRun,
  tally: Tally,
): Promise<void> {
  const rows = withResultUids(run.results);
  const input = runInput(ctx, run);
  for (let at = 0; at === 0 || at < rows.length; at += PUSH_BATCH_ROWS) {
    const batch = rows.slice(at, at + PUSH_BATCH_ROWS);
    const steps = stepInputs(run, batch);
    const body: ResultsPush = {
      experiment_uid: uid,
      dir: run.name,
      ...(at === 0 && input !== undefined ? { input } : {}),
      ...(at === 0 && run.started !== undefined ? { started: run.started } : {}),
      rows: batch,
      ...(steps ? { steps } : {}),
    };
    const { value } = await callServer<ResultsPushAnswer>(target, 'POST', '/api/push/results', {
      scope: 'write',
      body,
    });
    tally.inserted += value.inserted;
    tally.skipped += value.skipped;
    tally.done += body.rows.length;
    ctx.emit({ type: 'progress', id: 'push', label: 'push', done: tally.done, total: tally.total });
  }
}

export async function pushExperiment(
  input: Dict,
  ctx: CmContext,
  automation: AutomationHandle,
): Promise<Dict> {
  const target = serverTarget(input, ctx, 'push');
  const entry = oneExperiment(ctx, automation, input, 'push');
  const meta: Record<string, unknown> = { ...readArtifactMeta(entry.path) };
  for (const k of OWN_KEYS) delete meta[k];
  const { value: known } = await callServer<ExperimentPushAnswer>(
    target,
    'POST',
    '/api/push/experiment',
    { scope: 'write', body: { uid: entry.uid, alias: entry.alias, tags: entry.tags, meta } },
  );
  // Oldest first, so that the server's order of runs is the order they ran in.
  const runs = readRecordedRuns(entry.path).reverse();
  for (const run of runs) for (const p of run.problems) ctx.emit({ type: 'warning', text: p });
  const tally: Tally = { inserted: 0, skipped: 0, done: 0, total: 0 };
  for (const r of runs) tally.total += r.results.length;
  let runsSkipped = 0;
  for (const run of runs) {
    const stored = known.runs[run.name];
    // A run the server holds as many results of as we do was pushed whole before: not resent.
    if (stored !== undefined && stored >= run.results.length) {
      tally.skipped += run.results.length;
      tally.done += run.results.length;
      runsSkipped++;
      continue;
    }
    await pushRun(ctx, target, entry.uid, run, tally);
  }
  ctx.emit({
    type: 'progress',
    id: 'push',
    label: 'push',
    done: tally.done,
    total: tally.total,
    finished: true,
  });
  const name = entry.alias || entry.uid;
  ctx.emit({
    type: 'info',
    text:
      tally.inserted === 0
        ? `Nothing new: the ${tally.skipped} results of ${name} are already on ${target.url}`
        : `Pushed ${tally.inserted} results of ${name} (${runs.length} runs) to ${target.url}` +
          (tally.skipped > 0 ? `; ${tally.skipped} were already there` : ''),
  });
  return {
    return: 0,
    server: target.url,
    uid: entry.uid,
    alias: entry.alias,
    created: known.created,
    runs: runs.length,
    runs_skipped: runsSkipped,
    inserted: tally.inserted,
    skipped: tally.skipped,
  };
}
