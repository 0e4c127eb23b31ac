// Repo meta at a repo root: reading, validation and writing. A CM repo has `cmr.yaml` / `cmr.json`
// and its artifacts `_cm.yaml` / `_cm.json`; an MLC repo (mlcflow) has `meta.yaml` / `meta.json` at
// the root and for its artifacts, and its scripts use the `MLC_` env prefix.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { folderNameProblem } from '../core/artifact-ref.js';
import { CmError } from '../core/errors.js';
import { isDict, type Dict } from '../core/merge.js';
import { isUid } from '../core/uid.js';
import { isTruthy } from '../core/script/env.js';
import { readDictFile, writeDictFile } from './meta-file.js';

export const REPO_META_FILES = ['cmr.yaml', 'cmr.json', 'meta.yaml', 'meta.json'] as const;

export type RepoFormat = 'cm' | 'mlc';

/** Meta files of a CM artifact, in merge order. */
export const ARTIFACT_META_FILES = ['_cm.yaml', '_cm.json'] as const;

/** Artifact meta files of each format, in merge order (YAML first, JSON wins per top-level key). */
export const META_FILES_OF: Record<RepoFormat, readonly [string, string]> = {
  cm: ARTIFACT_META_FILES,
  mlc: ['meta.yaml', 'meta.json'],
};

/** The env prefix of scripts in repos of each format (CM_TMP_CURRENT_SCRIPT_PATH ...). */
export const ENV_PREFIX_OF: Record<RepoFormat, string> = { cm: 'CM_', mlc: 'MLC_' };

/** The artifact meta file names of a repo. */
export function metaFilesOf(repo: { format?: RepoFormat }): readonly [string, string] {
  return META_FILES_OF[repo.format ?? 'cm'];
}

/** The format a repo meta file name implies. */
export function formatOfRepoMetaFile(file: string): RepoFormat {
  return /(^|[\\/])meta\.(yaml|json)$/.test(file) ? 'mlc' : 'cm';
}

export interface RepoDep {
  alias: string;
  uid?: string;
  /** A conflicting repo must not be registered beside this one. */
  conflict: boolean;
  /** Where to pull it from when it is missing (ours; the reference derives it from the alias). */
  url?: string;
}

/** A repo's resolved meta. `raw` keeps every key as written (CM meta is open-ended). */
export interface RepoMeta {
  alias: string;
  uid: string;
  prefix: string;
  git: boolean;
  deps: RepoDep[];
  /** cm (cmr.yaml, _cm.yaml) or mlc (meta.yaml at the root and in artifacts). */
  format: RepoFormat;
  raw: Dict;
}

/** A repo as the database sees it. */
export interface Repo extends RepoMeta {
  /** Repo root (where cmr.yaml or meta.yaml is). */
  path: string;
  /** Where automation folders live: root joined with prefix. */
  artifactsRoot: string;
  /** local, internal (shipped in the package) or registered in repos.json. */
  kind: 'local' | 'internal' | 'registered';
}

/**
 * The repo meta file at `root`. A `meta.yaml`/`meta.json` is an MLC repo's meta only when it is not
 * an artifact's meta (an artifact names its automation), so walking up from inside an MLC script
 * does not stop at the script's own folder.
 */
export function findRepoMetaFile(root: string): string | undefined {
  for (const name of REPO_META_FILES) {
    const p = join(root, name);
    if (!existsSync(p)) continue;
    if (formatOfRepoMetaFile(name) === 'cm' || isRepoMetaOfMlc(p)) return p;
  }
  return undefined;
}

function isRepoMetaOfMlc(file: string): boolean {
  try {
    const d = readDictFile(file);
    return (
      typeof d['alias'] === 'string' &&
      d['automation_alias'] === undefined &&
      d['automation_uid'] === undefined
    );
  } catch {
    return false;
  }
}

function bad(file: string, key: string, problem: string, hint: string): never {
  throw new CmError('bad-repo-meta', `${file}: ${key} ${problem}`, {
    hint,
    details: { file, key },
  });
}

/** Validate and resolve a repo meta dict read from `file`. */
export function resolveRepoMeta(raw: Dict, file: string): RepoMeta {
  const alias = raw['alias'];
  if (typeof alias !== 'string' || alias.trim() === '') {
    bad(
      file,
      'alias',
      `must be a non-empty string (found ${JSON.stringify(alias ?? null)})`,
      'add a line such as "alias: my-repo"',
    );
  }
  // The alias names the repo's folder under $CM_REPOS/repos (pull, unpack): it must stay one.
  const aliasProblem = folderNameProblem(alias.trim());
  if (aliasProblem !== undefined)
    bad(
      file,
      'alias',
      `${JSON.stringify(alias)} cannot name a folder: ${aliasProblem}`,
      'use letters, digits, "-", "_", "." and "@", as in alias: owner@name',
    );
  let uid = raw['uid'];
  if (typeof uid === 'number') uid = String(uid);
  if (uid !== undefined && uid !== null && typeof uid !== 'string') {
    bad(
      file,
      'uid',
      `must be a string (found ${JSON.stringify(uid)})`,
      'quote the uid: uid: "0123456789abcdef"',
    );
  }
  if (typeof uid === 'string' && uid !== '' && !isUid(uid)) {
    bad(
      file,
      'uid',
      `must be 16 hex characters (found "${uid}")`,
      'run "cm uid core" for a new one, and quote it',
    );
  }
  const prefix = raw['prefix'] ?? '';
  if (typeof prefix !== 'string' || prefix.includes('..')) {
    bad(
      file,
      'prefix',
      `must be a relative folder name (found ${JSON.stringify(prefix)})`,
      'for example prefix: repo',
    );
  }
  const depsRaw = raw['deps'] ?? [];
  if (!Array.isArray(depsRaw)) bad(file, 'deps', 'must be a list', 'deps: [{alias: owner@name}]');
  const deps: RepoDep[] = depsRaw.map((d, i) => {
    if (!isDict(d) || typeof d['alias'] !== 'string') {
      bad(
        file,
        `deps[${i}]`,
        'must be a mapping with an alias',
        'deps: [{alias: owner@name, uid: ...}]',
      );
    }
    const dep: RepoDep = { alias: d['alias'], conflict: isTruthy(d['conflict']) };
    if (typeof d['uid'] === 'string' && d['uid'] !== '') dep.uid = d['uid'].toLowerCase();
    if (typeof d['url'] === 'string' && d['url'] !== '') dep.url = d['url'];
    return dep;
  });
  const git = raw['git'];
  return {
    alias: alias.trim(),
    uid: typeof uid === 'string' ? uid.toLowerCase() : '',
    prefix,
    git: isTruthy(git),
    deps,
    format: formatOfRepoMetaFile(file),
    raw,
  };
}

export function readRepoMeta(root: string): { meta: RepoMeta; file: string } {
  const file = findRepoMetaFile(root);
  if (file === undefined) {
    throw new CmError(
      'repo-not-found',
      `${root} is not a CM repo: no cmr.yaml or cmr.json (or an MLC meta.yaml) there`,
      { hint: `create one with: cm init repo --path=${root}` },
    );
  }
  return { meta: resolveRepoMeta(readDictFile(file), file), file };
}

export function writeRepoMeta(root: string, raw: Dict): string {
  const file = findRepoMetaFile(root) ?? join(root, 'cmr.yaml');
  writeDictFile(file, raw);
  return file;
}

export function isDirectory(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
