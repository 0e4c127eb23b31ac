// CM object references: `[repo:]name`, where each part is `alias`, `uid`, `alias,uid` or `uid,alias`,
// and aliases may hold `*`/`?` wildcards. Parsing, matching and validation of new names.
import { CmError } from './errors.js';
import { isUid } from './uid.js';

/** One side of a reference: an alias (maybe a wildcard pattern), a UID, or both. */
export interface NamePart {
  alias?: string;
  uid?: string;
}

export interface ArtifactRef {
  /** Restrict to one repo; absent means every repo. */
  repo?: NamePart;
  /** Empty means any artifact. */
  artifact: NamePart;
}

function parsePart(text: string, whole: string): NamePart {
  const pieces = text.split(',');
  if (pieces.length > 2) {
    throw new CmError('bad-name', `CM object ${whole} is not recognized`, {
      hint: 'use alias, uid, "alias,uid" or "repo:alias"',
    });
  }
  const [a = '', b] = pieces.map((p) => p.trim());
  if (b === undefined) return a === '' ? {} : isUid(a) ? { uid: a.toLowerCase() } : { alias: a };
  if (isUid(a) && !isUid(b)) return { alias: b || undefined, uid: a.toLowerCase() } as NamePart;
  const part: NamePart = {};
  if (a !== '') part.alias = a;
  if (b !== '') part.uid = b.toLowerCase();
  return part;
}

/** Parse `[repo:]name` as the reference's `parse_cm_object`. */
export function parseArtifactRef(text: string): ArtifactRef {
  const pieces = text.split(':');
  if (pieces.length > 2) {
    throw new CmError('bad-name', `CM object ${text} is not recognized`, {
      hint: 'a reference has at most one ":" (repo:artifact)',
    });
  }
  if (pieces.length === 2) {
    return { repo: parsePart(pieces[0]!, text), artifact: parsePart(pieces[1]!, text) };
  }
  return { artifact: parsePart(text, text) };
}

export function hasWildcards(s: string | undefined): boolean {
  return s !== undefined && /[*?]/.test(s);
}

const patternCache = new Map<string, RegExp>();

/** fnmatch-style, case-insensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 'is');
    patternCache.set(pattern, re);
  }
  return re.test(value);
}

/**
 * Does `query` name the artifact (alias, uid)? Both UIDs known: compare UIDs; otherwise compare
 * aliases case-insensitively (wildcards allowed); an empty query matches everything.
 */
export function matchesName(query: NamePart, alias: string, uid: string): boolean {
  if (query.uid !== undefined) {
    if (uid !== '') return query.uid === uid.toLowerCase();
    if (query.alias === undefined) return false;
  }
  if (query.alias === undefined || query.alias === '') return true;
  if (hasWildcards(query.alias)) return wildcardMatch(query.alias, alias);
  return query.alias.toLowerCase() === alias.toLowerCase();
}

/** `alias,uid` / `alias` / `uid` as the reference prints a CM object. */
export function formatName(part: NamePart): string {
  if (part.alias && part.uid) return `${part.alias},${part.uid}`;
  return part.alias ?? part.uid ?? '';
}

export function formatRef(ref: ArtifactRef): string {
  const name = formatName(ref.artifact);
  return ref.repo ? `${formatName(ref.repo)}:${name}` : name;
}

/** The longest name (in UTF-8 bytes) of a folder CM makes; file systems allow 255. */
export const MAX_NAME_BYTES = 200;

/**
 * Why `name` cannot be the name of a folder CM makes (an artifact, a repo under $CM_REPOS/repos),
 * or undefined when it can: it must stay one folder inside its parent and be listed there.
 */
export function folderNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'it is empty';
  if (name === '.') return '"." is the current folder, not a name';
  if (name === '..') return '".." is the parent folder, not a name';
  if (/[/\\]/.test(name)) return 'it must not contain "/" or "\\"';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains control characters';
  if (name !== name.trim()) return 'it starts or ends with spaces';
  if (name.startsWith('.')) return 'a name starting with "." is hidden: CM never lists it';
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES)
    return `it is longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/**
 * A name that becomes a directory: besides what folderNameProblem refuses, no ".." anywhere,
 * wildcards or the reference separators, so that nothing is ever written outside its automation
 * folder and every name can be given back on the command line.
 */
export function validateNewName(kind: string, name: string): void {
  const bad = (why: string): never => {
    throw new CmError('bad-name', `invalid ${kind} name "${name}": ${why}`, {
      hint: 'use letters, digits, "-", "_", "." and "@" (for example my-artifact)',
    });
  };
  const problem = folderNameProblem(name);
  if (problem !== undefined) bad(problem);
  if (name.includes('..')) bad('it must not contain ".."');
  if (/[*?]/.test(name)) bad('wildcards are not allowed here');
  if (/[:,]/.test(name)) bad('":" and "," separate repo, alias and uid');
}
