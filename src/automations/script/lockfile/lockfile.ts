// A run lockfile (`cm run script … --lock=FILE`): the resolved tree of one run, frozen, so that
// `--frozen=FILE` can refuse a run that would resolve differently and `cm lock diff` can say what
// changed. Versioned JSON; its JSON Schema ships as schema/cm-lockfile.schema.json.
import { readFileSync } from 'node:fs';
import { CmError } from '../../../core/errors.js';
import { isDict, type Dict } from '../../../core/merge.js';

export const LOCKFILE_VERSION = 1;

/** Where a locked script came from. */
export interface LockedRepo {
  alias: string;
  uid: string;
  /** local (the user's own), internal (shipped with CM) or registered. */
  kind: 'local' | 'internal' | 'registered';
  /** git: the remote's URL, the commit checked out, and whether the work tree had changes. */
  url?: string;
  commit?: string;
  dirty?: boolean;
  /** internal: the CM version that shipped it. */
  cm_version?: string;
}

/** A file a script downloaded. */
export interface LockedDownload {
  file: string;
  url?: string;
  sha256: string;
  /** Where it was on the machine that locked it (not compared: another machine puts it elsewhere). */
  path?: string;
}

/** One script of the tree, with what decided it. */
export interface LockedNode {
  /** The tags (or name) the parent asked for, and in which of its dep lists. */
  asked: string;
  list?: string;
  status: string;
  script?: string;
  uid?: string;
  /** The alias of the repo in `repos`. */
  repo?: string;
  variations?: string[];
  /** '' where only running the script would tell (a dry-run of a script that detects it). */
  version?: string;
  /** The hash of the script's files (meta, hooks, native scripts). */
  fingerprint?: string;
  /** What entered its cache key besides script and version. */
  cache_key?: { variations: string[]; extra_tags: string[] };
  /** Files it downloaded: name, URL (a password masked), content hash and where it was. */
  downloads?: LockedDownload[];
  deps: LockedNode[];
}

export interface Lockfile {
  cm_lockfile: number;
  created: string;
  cm_version: string;
  /** The run's input (the tags, variations and flags; secrets left out). */
  input: Record<string, unknown>;
  /** Whether it was made by a dry-run (versions found only by running are then unknown). */
  planned: boolean;
  platform: { os: string; arch: string; node: string };
  repos: Record<string, LockedRepo>;
  tree: LockedNode;
}

function fail(file: string, where: string, message: string, hint?: string): never {
  throw new CmError('bad-input', `${file}: ${where}: ${message}`, {
    hint: hint ?? 'make the lockfile again with cm run script … --lock=FILE',
  });
}

function checkNode(file: string, n: unknown, where: string, repos: Dict): LockedNode {
  if (!isDict(n)) fail(file, where, 'must be an object');
  for (const k of ['asked', 'status'] as const)
    if (typeof n[k] !== 'string')
      fail(file, `${where}.${k}`, `must be a string (found ${JSON.stringify(n[k])})`);
  for (const k of ['script', 'uid', 'repo', 'version', 'fingerprint', 'list'] as const)
    if (n[k] !== undefined && typeof n[k] !== 'string')
      fail(file, `${where}.${k}`, `must be a string (found ${JSON.stringify(n[k])})`);
  if (typeof n['repo'] === 'string' && !Object.hasOwn(repos, n['repo']))
    fail(file, `${where}.repo`, `"${n['repo']}" is not one of the lockfile's repos`);
  if (n['variations'] !== undefined && !isStringList(n['variations']))
    fail(file, `${where}.variations`, 'must be a list of strings');
  if (n['downloads'] !== undefined) {
    if (!Array.isArray(n['downloads'])) fail(file, `${where}.downloads`, 'must be a list');
    n['downloads'].forEach((d, i) => {
      if (
        !isDict(d) ||
        typeof d['file'] !== 'string' ||
        typeof d['sha256'] !== 'string' ||
        !['url', 'path'].every((k) => d[k] === undefined || typeof d[k] === 'string')
      )
        fail(file, `${where}.downloads[${i}]`, 'must be {file, sha256[, url][, path]}');
    });
  }
  if (!Array.isArray(n['deps'])) fail(file, `${where}.deps`, 'must be a list');
  const deps = n['deps'].map((d, i) => checkNode(file, d, `${where}.deps[${i}]`, repos));
  return { ...(n as unknown as LockedNode), deps };
}

function isStringList(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((v) => typeof v === 'string');
}

/** Parses and checks lockfile text (`file` names it in errors, with the key at fault). */
export function parseLockfile(text: string, file: string): Lockfile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    fail(file, 'not JSON', (e as Error).message);
  }
  if (!isDict(data)) fail(file, 'top level', 'must be a JSON object');
  if (data['cm_lockfile'] !== LOCKFILE_VERSION)
    fail(
      file,
      'cm_lockfile',
      `schema version ${JSON.stringify(data['cm_lockfile'])} is not supported (this CM reads ${LOCKFILE_VERSION})`,
      data['cm_lockfile'] === undefined
        ? 'is this a CM lockfile? it is written by cm run script … --lock=FILE'
        : undefined,
    );
  if (!isDict(data['repos'])) fail(file, 'repos', 'must be an object');
  for (const [alias, r] of Object.entries(data['repos'])) {
    if (!isDict(r)) fail(file, `repos.${alias}`, 'must be an object');
    for (const k of ['alias', 'uid', 'kind'])
      if (typeof r[k] !== 'string') fail(file, `repos.${alias}.${k}`, 'must be a string');
  }
  for (const k of ['created', 'cm_version'])
    if (typeof data[k] !== 'string') fail(file, k, 'must be a string');
  if (!isDict(data['input'])) fail(file, 'input', 'must be an object');
  const tree = checkNode(file, data['tree'], 'tree', data['repos']);
  return { ...(data as unknown as Lockfile), tree };
}

/** Reads and checks lockfile `file`. */
export function readLockfile(file: string): Lockfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CmError(
      'file-not-found',
      `lockfile ${file} cannot be read: ${(e as Error).message}`,
      {
        hint: 'write one with cm run script … --lock=FILE',
      },
    );
  }
  return parseLockfile(text, file);
}
