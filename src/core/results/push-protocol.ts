// What `cm push` and `cm pull` send to and get from the team server (/api/push, /api/pull), and
// the checks of it, shared by both ends so that a body one accepts the other sends.
import { folderNameProblem } from '../artifact-ref.js';
import { CmError } from '../errors.js';
import { isPlainObject } from '../experiment/flatten.js';
import { isUid } from '../uid.js';

/** Results per POST /api/push/results that cm push sends. */
export const PUSH_BATCH_ROWS = 500;
/** Results per request that the server takes (other clients may batch more than cm push). */
export const MAX_PUSH_ROWS = 5000;
/** Request bodies: an experiment's meta, and a batch of results. */
export const MAX_EXPERIMENT_BYTES = 1024 * 1024;
export const MAX_RESULTS_BYTES = 32 * 1024 * 1024;
/** Results per page of GET /api/pull/.../results. */
export const PULL_PAGE_ROWS = 5000;

export interface ExperimentPush {
  uid: string;
  alias: string;
  tags: string[];
  /** The artifact's other meta keys (`password_hash` protects it on the server). */
  meta: Record<string, unknown>;
}

export interface ExperimentPushAnswer {
  uid: string;
  created: boolean;
  /** Results already stored per run folder: what a resumed push can skip. */
  runs: Record<string, number>;
}

export interface ResultsPush {
  experiment_uid: string;
  dir: string;
  /** The run's cm-input.json. */
  input?: Record<string, unknown>;
  /** When the run began (local ISO time, from its folder name). */
  started?: string;
  rows: Array<Record<string, unknown>>;
  /** Step inputs (each step folder's cm-input.json, secrets left out) by result uid. */
  steps?: Record<string, Record<string, unknown>>;
}

export interface ResultsPushAnswer {
  inserted: number;
  /** Rows whose (experiment, run, uid) was already stored. */
  skipped: number;
}

export interface PulledRun {
  dir: string;
  started?: string;
  input?: Record<string, unknown>;
  results: number;
}

export interface PulledExperiment {
  uid: string;
  alias: string;
  tags: string[];
  meta: Record<string, unknown>;
  runs: PulledRun[];
}

export interface PulledPage {
  rows: Array<Record<string, unknown>>;
  /** Give as `after` for the next page; absent on the last one. */
  next?: string;
}

function bad(message: string, hint?: string): CmError {
  return new CmError('bad-input', message, hint === undefined ? {} : { hint });
}

/** Why `dir` cannot be a run folder's name (it becomes a folder when pulled), or undefined. */
export function runDirProblem(dir: unknown): string | undefined {
  if (typeof dir !== 'string') return 'it is not a string';
  return folderNameProblem(dir) ?? (dir.includes('..') ? 'it must not contain ".."' : undefined);
}

/** Why `uid` cannot be a result's uid (it is the last part of `_id` and of URLs), or undefined. */
export function resultUidProblem(uid: unknown): string | undefined {
  if (typeof uid !== 'string' || uid === '') return 'it is not a non-empty string';
  if (uid.length > 200) return 'it is longer than 200 characters';
  if (/[/\\\u0000-\u001f]/.test(uid)) return 'it contains "/", "\\" or control characters';
  return undefined;
}

function checkExperimentUid(uid: unknown, where: string): string {
  if (typeof uid !== 'string' || !isUid(uid))
    throw bad(`${where} must be a CM uid (16 hex characters), found ${JSON.stringify(uid)}`);
  return uid.toLowerCase();
}

/** The body of POST /api/push/experiment, checked. */
export function parseExperimentPush(body: unknown): ExperimentPush {
  if (!isPlainObject(body)) throw bad('the body must be a JSON object {uid, alias, tags, meta}');
  const uid = checkExperimentUid(body['uid'], 'uid');
  const alias = body['alias'] ?? '';
  if (typeof alias !== 'string') throw bad('alias must be a string');
  if (alias !== '') {
    const problem = folderNameProblem(alias);
    if (problem !== undefined || /[:,]/.test(alias))
      throw bad(
        `invalid experiment alias ${JSON.stringify(alias)}: ${problem ?? 'it has ":" or ","'}`,
      );
  }
  const tags = body['tags'] ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && t !== ''))
    throw bad('tags must be a list of non-empty strings');
  const meta = body['meta'] ?? {};
  if (!isPlainObject(meta)) throw bad('meta must be a JSON object');
  if (meta['password_hash'] !== undefined && typeof meta['password_hash'] !== 'string')
    throw bad('meta.password_hash must be a string (a bcrypt hash)');
  return { uid, alias, tags: tags as string[], meta };
}

/** The body of POST /api/push/results, checked (rows without a uid are left to the caller). */
export function parseResultsPush(body: unknown): ResultsPush {
  if (!isPlainObject(body))
    throw bad('the body must be a JSON object {experiment_uid, dir, input?, started?, rows}');
  const experiment_uid = checkExperimentUid(body['experiment_uid'], 'experiment_uid');
  const dir = body['dir'];
  const problem = runDirProblem(dir);
  if (problem !== undefined)
    throw bad(`invalid run folder name ${JSON.stringify(dir)}: ${problem}`);
  const input = body['input'];
  if (input !== undefined && input !== null && !isPlainObject(input))
    throw bad('input must be a JSON object (the run cm-input.json)');
  const started = body['started'];
  if (started !== undefined && started !== null && typeof started !== 'string')
    throw bad('started must be a string (ISO time)');
  const rows = body['rows'];
  if (!Array.isArray(rows)) throw bad('rows must be a list of result objects');
  rows.forEach((r: unknown, i) => {
    if (!isPlainObject(r)) throw bad(`rows[${i}] is not a JSON object`);
    if (r['uid'] !== undefined) {
      const why = resultUidProblem(r['uid']);
      if (why !== undefined) throw bad(`rows[${i}].uid: ${why}`);
    }
  });
  const steps = body['steps'];
  if (steps !== undefined && steps !== null) {
    if (!isPlainObject(steps)) throw bad('steps must be a JSON object {result uid: step input}');
    for (const [uid, step] of Object.entries(steps))
      if (!isPlainObject(step)) throw bad(`steps[${JSON.stringify(uid)}] is not a JSON object`);
  }
  return {
    experiment_uid,
    dir: dir as string,
    ...(isPlainObject(input) ? { input } : {}),
    ...(typeof started === 'string' ? { started } : {}),
    rows: rows as Array<Record<string, unknown>>,
    ...(isPlainObject(steps) ? { steps: steps as Record<string, Record<string, unknown>> } : {}),
  };
}

/** An answer of GET /api/pull/experiments/:id, checked before anything is written from it. */
export function parsePulledExperiment(body: unknown): PulledExperiment {
  if (!isPlainObject(body)) throw bad('the server sent no experiment object');
  const e = parseExperimentPush(body);
  const runs = body['runs'];
  if (!Array.isArray(runs)) throw bad('the server sent no list of runs');
  return {
    ...e,
    runs: runs.map((r: unknown): PulledRun => {
      if (!isPlainObject(r)) throw bad('the server sent a run that is not an object');
      const why = runDirProblem(r['dir']);
      if (why !== undefined)
        throw bad(`the server sent a run folder named ${JSON.stringify(r['dir'])}: ${why}`);
      return {
        dir: r['dir'] as string,
        ...(typeof r['started'] === 'string' ? { started: r['started'] } : {}),
        ...(isPlainObject(r['input']) ? { input: r['input'] } : {}),
        results: typeof r['results'] === 'number' ? r['results'] : 0,
      };
    }),
  };
}
