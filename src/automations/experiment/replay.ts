// `cm replay experiment` (spec §5.2): run a recorded run again — all of it, as CM does (its input,
// tagged `replay`, as a fresh call), or with --step-only just the step of --uid — then compare the
// new results with the recorded ones (CK's rule: numbers differing by more than --tolerance, 8 %
// by default, are flagged). New results carry `replay_of: "<run folder>/<uid>"`.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { compareResults } from '../../core/experiment/compare.js';
import { isDict, type Dict } from '../../core/merge.js';
import { tagList } from '../../core/tags.js';
import type { AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { bool, str } from '../input.js';
import { readRunInput } from './choose-run.js';
import { resolveExperiment } from './experiment-artifact.js';
import { readResults } from './results-file.js';
import { recordedRunFolders, RESULTS_FILE } from './run-folder.js';
import { RESERVED_KEYS, executionKey } from './step-result.js';
import { STEP_INPUT_FILE } from './step-folder.js';

type Row = Record<string, unknown>;

/** Keys that differ on every run by nature: never compared. */
const NOT_COMPARED = [...RESERVED_KEYS, 'replay_of', 'output_problem', 'lockfile', 'lockfiles'];

function tolerance(input: Dict): number {
  const raw = str(input, 'tolerance');
  if (raw === undefined || raw === '') return 0.08;
  const pct = raw.endsWith('%');
  const n = Number(pct ? raw.slice(0, -1) : raw);
  if (!Number.isFinite(n) || n < 0)
    throw new CmError('bad-input', `--tolerance must be a number like 0.08 or 8% (found "${raw}")`);
  return pct || n > 1 ? n / 100 : n;
}

async function chooseRun(
  ctx: CmContext,
  artifactDir: string,
  input: Dict,
  uid: string | undefined,
): Promise<{ runDir: string; original?: Row }> {
  const dir = str(input, 'dir');
  const runs = dir ? [join(artifactDir, basename(dir))] : recordedRunFolders(artifactDir);
  if (runs.length === 0)
    throw new CmError('artifact-not-found', `experiment(s) not found in ${artifactDir}`, {
      hint: 'run it first: cme NAME -- COMMAND',
    });
  if (uid !== undefined) {
    for (const runDir of [...runs].reverse()) {
      const original = readResults(join(runDir, RESULTS_FILE)).find((r) => r['uid'] === uid);
      if (original) return { runDir, original };
    }
    throw new CmError('artifact-not-found', `no result with uid ${uid} in ${artifactDir}`, {
      hint: 'cm show experiment NAME --json lists the uids of the results',
    });
  }
  if (runs.length > 1 && !ctx.isInteractive)
    throw new CmError(
      'bad-input',
      `more than 1 recorded run in ${artifactDir}: choose one with --dir`,
      {
        hint: `--dir=NAME, one of:\n  ${[...runs]
          .reverse()
          .map((r) => basename(r))
          .join('\n  ')}`,
      },
    );
  if (runs.length > 1) {
    const newestFirst = [...runs].reverse();
    ctx.emit({ type: 'info', text: newestFirst.map((r, i) => `${i}) ${r}`).join('\n') });
    const k = Number(
      (await ctx.ask('Make your selection or press Enter for 0 (the newest): ')).trim() || 0,
    );
    return { runDir: newestFirst[Number.isInteger(k) && k >= 0 && k < runs.length ? k : 0]! };
  }
  return { runDir: runs[0]! };
}

/** The sweep input that re-runs one recorded step (its substituted command, env and explored values). */
function stepOnlyInput(runDir: string, original: Row, stored: Dict): Dict {
  const file = join(runDir, String(original['uid']), STEP_INPUT_FILE);
  let step: unknown;
  try {
    step = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new CmError('file-not-found', `${file} not found or unreadable - can't replay the step`);
  }
  if (!isDict(step) || typeof step['command'] !== 'string')
    throw new CmError('bad-input', `${file}: no command recorded`);
  const point = isDict(step['point']) ? step['point'] : {};
  const explore: Dict = {};
  for (const [k, v] of Object.entries(point)) explore[k] = [v];
  const env = isDict(step['env']) ? { ...step['env'] } : {};
  for (const k of Object.keys(point)) delete env[k];
  return {
    artifact: stored['artifact'],
    tags: stored['tags'],
    cmd: step['command'],
    explore,
    env,
    repeat: 1,
  };
}

export async function replayExperiment(
  input: Dict,
  ctx: CmContext,
  automation: AutomationHandle,
): Promise<Dict> {
  const uid = str(input, 'uid');
  const artifact = str(input, 'artifact');
  const { entry } = await resolveExperiment(
    ctx,
    automation,
    { tags: tagList(input['tags']), ...(artifact ? { artifact } : {}) },
    false,
  );
  const { runDir, original } = await chooseRun(ctx, entry.path, input, uid);
  const stored = readRunInput(runDir);
  const stepOnly = bool(input, 'step_only');
  if (stepOnly && !original)
    throw new CmError('bad-input', '--step-only replays one result: give its --uid');
  const originals = original && stepOnly ? [original] : readResults(join(runDir, RESULTS_FILE));
  const base: Dict = stepOnly ? stepOnlyInput(runDir, original!, stored) : { ...stored };
  const tags = [...tagList(base['tags']), 'replay'];
  const dims = Object.keys(isDict(base['explore']) ? base['explore'] : {});
  const replayOf: Record<string, string> = {};
  for (const r of originals)
    replayOf[executionKey(dims, r, stepOnly ? 1 : (r['repeat'] ?? 1))] =
      `${basename(runDir)}/${String(r['uid'])}`;
  ctx.emit({
    type: 'info',
    text: `Replaying ${stepOnly ? `step ${String(original!['uid'])}` : 'the run'} ${runDir}`,
  });
  const call: Dict = {
    ...base,
    action: 'run',
    automation: 'experiment',
    tags: tags.join(','),
    replay_of: replayOf,
  };
  for (const k of ['dir', 'rerun', 'resume', 'unparsed_cmd_replayed']) delete call[k];
  if (base['rerun'] === true || base['action'] === 'rerun') call['rerun'] = true;
  const r = await ctx.access(call);
  if (r['return'] !== 0) return r;
  return {
    ...r,
    ...compareRuns(ctx, originals, String(r['experiment_path2']), dims, stepOnly, tolerance(input)),
  };
}

function compareRuns(
  ctx: CmContext,
  originals: Row[],
  newRunDir: string,
  dims: string[],
  stepOnly: boolean,
  tol: number,
): Dict {
  const fresh = readResults(join(newRunDir, RESULTS_FILE));
  const byKey = new Map(
    originals.map((o) => [executionKey(dims, o, stepOnly ? 1 : (o['repeat'] ?? 1)), o]),
  );
  const report: Dict[] = [];
  const lines: string[] = [];
  let compared = 0;
  for (const n of fresh) {
    const o = byKey.get(executionKey(dims, n, n['repeat'] ?? 1));
    if (!o) continue;
    const diffs = compareResults(o, n, { tolerance: tol, ignore: NOT_COMPARED });
    compared += Object.keys(o).filter(
      (k) => typeof o[k] === 'number' && !NOT_COMPARED.includes(k),
    ).length;
    const flagged = diffs.filter((d) => d.flagged);
    report.push({ original: o['uid'], replayed: n['uid'], differences: diffs });
    for (const d of flagged)
      lines.push(
        `  ${String(o['uid'])} ${d.key}: ${JSON.stringify(d.old)} vs ${JSON.stringify(d.new)}${d.change !== null ? ` diff=${(d.change * 100).toFixed(1)}%` : ''}`,
      );
  }
  if (compared === 0)
    ctx.emit({
      type: 'warning',
      text: 'no numeric result keys to compare with the recorded run (did the replay fail?)',
    });
  ctx.emit({
    type: 'output',
    text:
      lines.length === 0
        ? `Replay matches the recorded results (tolerance ${(tol * 100).toFixed(0)}%)`
        : `Results differing by more than ${(tol * 100).toFixed(0)}%:\n${lines.join('\n')}`,
  });
  return { comparison: report, flagged: lines.length };
}
