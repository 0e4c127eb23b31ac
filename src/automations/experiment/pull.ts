// `cm pull experiment NAME --server=URL`: a team server's experiment as a local artifact (same
// alias, uid and tags), its runs as run folders; results merged by uid, so pulling twice adds nothing.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import {
  parsePulledExperiment,
  type PulledExperiment,
  type PulledPage,
  type PulledRun,
} from '../../core/results/push-protocol.js';
import { withResultUids } from '../../core/results/result-uid.js';
import { writeFileAtomic } from '../../db/atomic-file.js';
import type { AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { addArtifact } from '../generic/add.js';
import { str } from '../input.js';
import { findExperiments } from './experiment-artifact.js';
import { ResultsFile } from './results-file.js';
import { RUN_INPUT_FILE } from './run-folder.js';
import { callServer, serverTarget, type ServerTarget } from './server-client.js';

/** The local artifact of `e`: the one with its uid, else a new one (its alias must be free). */
function localArtifact(
  ctx: CmContext,
  automation: AutomationHandle,
  e: PulledExperiment,
): { path: string; created: boolean } {
  const same = findExperiments(ctx, automation, { artifact: e.uid, tags: [] }).find(
    (x) => x.uid === e.uid,
  );
  if (same !== undefined) return { path: same.path, created: false };
  if (e.alias !== '') {
    const other = findExperiments(ctx, automation, { artifact: e.alias, tags: [] })[0];
    if (other !== undefined)
      throw new CmError(
        'artifact-exists',
        `a local experiment named ${e.alias} exists with another uid (${other.uid}, the server's is ${e.uid}): ${other.path}`,
        {
          hint: `rename the local one (cm mv experiment ${e.alias} ${e.alias}-local), then pull again`,
        },
      );
  }
  const { password_hash: hash, ...meta } = e.meta;
  const made = addArtifact(ctx, automation, e.alias === '' ? e.uid : `${e.alias},${e.uid}`, {
    tags: e.tags.join(','),
    // A protected experiment stays protected in the local playground.
    meta: { ...meta, ...(typeof hash === 'string' ? { password_hash: hash } : {}) },
  });
  return { path: made.path, created: true };
}

/** Every stored row of a run, a page at a time. */
async function pulledRows(
  target: ServerTarget,
  uid: string,
  run: PulledRun,
): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  let after: string | undefined;
  do {
    const query = after === undefined ? '' : `?after=${encodeURIComponent(after)}`;
    const path = `/api/pull/experiments/${uid}/runs/${encodeURIComponent(run.dir)}/results${query}`;
    const { value } = await callServer<PulledPage>(target, 'GET', path, { scope: 'read' });
    if (!Array.isArray(value.rows)) throw new CmError('bad-input', `${path}: no list of rows`);
    for (const r of value.rows) rows.push(r);
    after = value.next;
  } while (after !== undefined);
  return rows;
}

/** Writes one run folder: its input when it has none yet, and the results it lacks. */
async function pullRun(
  target: ServerTarget,
  uid: string,
  artifactPath: string,
  run: PulledRun,
): Promise<{ added: number; present: number }> {
  const dir = join(artifactPath, run.dir);
  mkdirSync(dir, { recursive: true });
  const inputFile = join(dir, RUN_INPUT_FILE);
  if (run.input !== undefined && !existsSync(inputFile))
    writeFileAtomic(inputFile, `${JSON.stringify(run.input, null, 2)}\n`);
  const file = new ResultsFile(dir);
  const have = new Set(withResultUids(file.rows()).map((r) => r.uid));
  const rows = withResultUids(await pulledRows(target, uid, run));
  const added = rows.filter((r) => !have.has(r.uid));
  if (added.length > 0) file.append(...added);
  else file.ensure();
  return { added: added.length, present: rows.length - added.length };
}

/** Sends the password for a protected experiment; the session cookie goes with the next calls. */
async function unlock(target: ServerTarget, password: string): Promise<void> {
  const { headers } = await callServer<{ unlocked: number }>(target, 'POST', '/api/unlock', {
    scope: 'read',
    body: { password },
  });
  const cookie = (headers.get('set-cookie') ?? '').split(';')[0];
  if (cookie) target.cookie = cookie;
}

export async function pullExperiment(
  input: Dict,
  ctx: CmContext,
  automation: AutomationHandle,
): Promise<Dict> {
  const target = serverTarget(input, ctx, 'pull');
  const name = str(input, 'artifact');
  if (name === undefined || name === '')
    throw new CmError('bad-input', 'name the experiment: cm pull experiment NAME --server=URL', {
      hint: 'its alias or uid on the server',
    });
  const password = str(input, 'password');
  if (password !== undefined && password !== '') {
    ctx.secrets.add(password);
    await unlock(target, password);
  }
  const { value } = await callServer<unknown>(
    target,
    'GET',
    `/api/pull/experiments/${encodeURIComponent(name)}`,
    { scope: 'read' },
  );
  const e = parsePulledExperiment(value);
  const local = localArtifact(ctx, automation, e);
  let added = 0;
  let present = 0;
  for (const run of e.runs) {
    const r = await pullRun(target, e.uid, local.path, run);
    added += r.added;
    present += r.present;
  }
  ctx.emit({
    type: 'info',
    text:
      added === 0
        ? `Nothing new: the ${present} results of ${e.alias || e.uid} are already in ${local.path}`
        : `Pulled ${added} results of ${e.alias || e.uid} (${e.runs.length} runs) into ${local.path}` +
          (present > 0 ? `; ${present} were already there` : ''),
  });
  return {
    return: 0,
    server: target.url,
    path: local.path,
    uid: e.uid,
    alias: e.alias,
    created: local.created,
    runs: e.runs.length,
    added,
    present,
  };
}
