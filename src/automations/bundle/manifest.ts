// The manifest of a CM bundle (cm-bundle.json, the tar's first entry): its format version, every
// packed file with its sha256 and size, the repos (alias, URL, commit) and the downloaded files.
// Read here, checked once; what installs it trusts the types.
import { folderNameProblem } from '../../core/artifact-ref.js';
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';

/** The format this CM writes and reads; a bundle of a newer one is refused, not guessed at. */
export const BUNDLE_FORMAT = 1;
export const MANIFEST_NAME = 'cm-bundle.json';
/** The lockfile, as the run wrote it. */
export const BUNDLED_LOCKFILE = 'cm-lock.json';

export interface BundledFile {
  /** Where it is in the bundle (a relative path with / separators). */
  path: string;
  sha256: string;
  size: number;
}

export interface BundledRepo {
  alias: string;
  uid: string;
  /** The remote the lockfile recorded (kept as the installed clone's origin). */
  url?: string;
  commit: string;
  /** The git bundle of that commit, in `files`. */
  file: string;
}

export interface BundledDownload {
  /** The file name it had. */
  file: string;
  sha256: string;
  /** The URLs it was downloaded from (a password masked). */
  urls: string[];
  /** The file in the bundle, in `files`. */
  path: string;
}

export interface BundleManifest {
  cm_bundle: number;
  created: string;
  cm_version: string;
  lockfile: string;
  files: BundledFile[];
  repos: BundledRepo[];
  downloads: BundledDownload[];
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A full git object id: 40 hex digits (SHA-1) or 64 (SHA-256). */
export function isCommitId(s: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(s);
}

/** A relative path that stays inside the folder it is read from. */
function isInsidePath(p: string): boolean {
  return (
    p !== '' &&
    !p.startsWith('/') &&
    !p.includes('\\') &&
    p.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

/** Collects what is wrong with `data` as a manifest of this format. */
function manifestProblems(data: Dict): string[] {
  const out: string[] = [];
  const list = (key: string): unknown[] => {
    const v = data[key];
    if (Array.isArray(v)) return v;
    out.push(`${key}: must be a list`);
    return [];
  };
  for (const k of ['created', 'cm_version', 'lockfile'])
    if (typeof data[k] !== 'string') out.push(`${k}: must be a string`);
  /** Packed files by path, with their content hash. */
  const files = new Map<string, string>();
  list('files').forEach((f, i) => {
    if (!isDict(f) || typeof f['path'] !== 'string' || !isInsidePath(f['path']))
      out.push(`files[${i}].path: must be a relative path inside the bundle`);
    else if (typeof f['sha256'] !== 'string' || !SHA256.test(f['sha256']))
      out.push(`files[${i}].sha256: must be 64 hex digits`);
    else if (typeof f['size'] !== 'number' || !Number.isSafeInteger(f['size']) || f['size'] < 0)
      out.push(`files[${i}].size: must be a whole number`);
    else files.set(f['path'], f['sha256']);
  });
  const packed = (where: string, p: unknown): void => {
    if (typeof p !== 'string' || !files.has(p)) out.push(`${where}: must name one of the files`);
  };
  packed('lockfile', data['lockfile']);
  list('repos').forEach((r, i) => {
    if (!isDict(r)) return void out.push(`repos[${i}]: must be an object`);
    // The alias may name its folder, and commit and URL are given to git: checked as such.
    const alias = r['alias'];
    const badAlias = typeof alias === 'string' ? folderNameProblem(alias) : 'it must be a string';
    if (badAlias !== undefined) out.push(`repos[${i}].alias: ${badAlias}`);
    if (typeof r['uid'] !== 'string') out.push(`repos[${i}].uid: must be a string`);
    if (typeof r['commit'] !== 'string' || !isCommitId(r['commit']))
      out.push(`repos[${i}].commit: must be a git commit id (hex)`);
    if (r['url'] !== undefined && (typeof r['url'] !== 'string' || r['url'].startsWith('-')))
      out.push(`repos[${i}].url: must be a URL`);
    packed(`repos[${i}].file`, r['file']);
  });
  list('downloads').forEach((d, i) => {
    if (!isDict(d)) return void out.push(`downloads[${i}]: must be an object`);
    if (typeof d['file'] !== 'string' || !isInsidePath(d['file']) || d['file'].includes('/'))
      out.push(`downloads[${i}].file: must be a file name`);
    if (typeof d['sha256'] !== 'string' || !SHA256.test(d['sha256']))
      out.push(`downloads[${i}].sha256: must be 64 hex digits`);
    if (!Array.isArray(d['urls']) || !d['urls'].every((u) => typeof u === 'string'))
      out.push(`downloads[${i}].urls: must be a list of strings`);
    packed(`downloads[${i}].path`, d['path']);
    // The store files it by this hash: it must be the content's, checked below for every file.
    const content = typeof d['path'] === 'string' ? files.get(d['path']) : undefined;
    if (content !== undefined && d['sha256'] !== content)
      out.push(`downloads[${i}].sha256: differs from the sha256 of ${String(d['path'])} in files`);
  });
  return out;
}

/** Parses and checks manifest text read from bundle `bundle`. */
export function parseManifest(text: string, bundle: string): BundleManifest {
  const notOurs = (why: string): CmError =>
    new CmError('bad-input', `${bundle} is not a CM bundle: ${why}`, {
      hint: 'make one with cm bundle create --lock=FILE --out=B.tar',
    });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw notOurs(`its ${MANIFEST_NAME} is not JSON (${(e as Error).message})`);
  }
  if (!isDict(data) || typeof data['cm_bundle'] !== 'number')
    throw notOurs(`its ${MANIFEST_NAME} has no format version (cm_bundle)`);
  if (data['cm_bundle'] > BUNDLE_FORMAT) {
    const made = typeof data['cm_version'] === 'string' ? data['cm_version'] : 'latest';
    throw new CmError(
      'bad-input',
      `${bundle} was made by a newer CM: bundle format ${data['cm_bundle']} (this CM reads format ${BUNDLE_FORMAT})`,
      { hint: `install it with CM ${made} or newer: npm install -g collective-mind@${made}` },
    );
  }
  if (data['cm_bundle'] !== BUNDLE_FORMAT)
    throw notOurs(`format ${data['cm_bundle']} is not one this CM knows`);
  const problems = manifestProblems(data);
  if (problems.length > 0)
    throw new CmError('bad-input', `${bundle}: ${MANIFEST_NAME}:\n  ${problems.join('\n  ')}`, {
      hint: 'the bundle is damaged or was edited: make it again with cm bundle create',
    });
  return data as unknown as BundleManifest;
}
