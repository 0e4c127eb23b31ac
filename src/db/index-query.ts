// Cheap tests on stored records that decide which ones become entries for a query: exact for the
// automation, conservative for names and tags (searchArtifacts() on the entries has the last word).
// A wanted tag, alias or uid is first searched for in a folder's whole text, so that a query of
// 10,000 artifacts looks at a few.
import { hasWildcards, matchesName, type NamePart } from '../core/artifact-ref.js';
import {
  F_ALIAS,
  F_NAME,
  F_TAGS,
  F_UID,
  field,
  isEmptyField,
  recordIndexAt,
  type IndexedDir,
} from './index-record.js';
import type { Repo } from './repo.js';
import { isOfAutomation, type ArtifactQuery } from './search.js';

/** Tests on stored records: all but automation() may keep too much, never too little. */
export interface RecordFilter {
  repo(repo: Repo): boolean;
  /** Whether the artifacts of the automation with this alias and uid are wanted (exactly). */
  automation(alias: string, uid: string): boolean;
  /** Positions of the records of `dir` that may match, in order; undefined: look at all. */
  candidates(dir: IndexedDir): number[] | undefined;
  /** The record whose fields are at `b` in `text` (see splitRecord). */
  record(text: string, b: Int32Array, inheritedTags: string | undefined): boolean;
  /** Whether record() lets every record through (no names, no tags asked for). */
  takesEvery: boolean;
}

export const KEEP_ALL: RecordFilter = {
  repo: () => true,
  automation: () => true,
  candidates: () => undefined,
  record: () => true,
  takesEvery: true,
};

export function prefilter(q: ArtifactQuery): RecordFilter {
  const refs = q.refs ?? [];
  const needles = (q.tags?.include ?? []).map((t) => `,${t},`);
  const auto = q.automation;
  return {
    repo: (repo) =>
      refs.length === 0 ||
      refs.some((ref) => !ref.repo || matchesName(ref.repo, repo.alias, repo.uid)),
    automation: (alias, uid) =>
      auto === undefined || isOfAutomation({ automationAlias: alias, automationUid: uid }, auto),
    candidates(dir) {
      // Inherited tags are not in the text of the artifact that inherits them.
      if (dir.b) return undefined;
      if (needles.length > 0) return recordsAt(dir, rarest(dir.t, needles));
      if (refs.length === 0) return undefined;
      const found = new Set<number>();
      for (const ref of refs) {
        const at = namePositions(dir, ref.artifact);
        if (at === undefined) return undefined;
        for (const i of recordsAt(dir, at)) found.add(i);
      }
      return [...found].sort((x, y) => x - y);
    },
    record(text, b, inheritedTags) {
      if (needles.length > 0) {
        // The tags field alone: a search of the whole text could run far past this record.
        const tags = inheritedTags ?? field(text, b, F_TAGS);
        for (const n of needles) if (!tags.includes(n)) return false;
      }
      if (refs.length === 0) return true;
      return refs.some((ref) => mayMatchName(text, b, ref.artifact));
    },
    takesEvery: needles.length === 0 && refs.length === 0,
  };
}

/** Could this record match the name part of a reference? (uid or exact alias; else maybe) */
function mayMatchName(r: string, b: Int32Array, q: NamePart): boolean {
  if (q.uid !== undefined) {
    const uidLen = b[F_UID + 1]! - 1 - b[F_UID]!;
    if (uidLen !== 0) return uidLen === q.uid.length && r.startsWith(q.uid, b[F_UID]!);
  }
  if (q.alias === undefined || q.alias === '' || hasWildcards(q.alias)) return true;
  const f = isEmptyField(b, F_ALIAS) ? F_NAME : F_ALIAS;
  const len = b[f + 1]! - 1 - b[f]!;
  return len === q.alias.length && field(r, b, f).toLowerCase() === q.alias.toLowerCase();
}

/** Where the needle found least often occurs in `text` (all are searched in turn). */
function rarest(text: string, needles: readonly string[]): number[] {
  const hits = needles.map((): number[] => []);
  const from = needles.map(() => 0);
  for (;;) {
    for (let k = 0; k < needles.length; k++) {
      const at = text.indexOf(needles[k]!, from[k]);
      if (at < 0) return hits[k]!;
      hits[k]!.push(at);
      from[k] = at + 1;
    }
  }
}

/** Where the uid or the alias of a reference occurs in the folder's text (any case for the
 *  alias); undefined when it cannot be searched for (a wildcard, an empty name). */
function namePositions(dir: IndexedDir, q: NamePart): number[] | undefined {
  const at: number[] = [];
  if (q.uid !== undefined) at.push(...positions(dir.t, q.uid));
  if (q.alias === undefined) return q.uid === undefined ? undefined : at;
  // Case folding (the u flag) finds every alias equal to an ASCII one in lower case, even with
  // a Kelvin sign for k; a name with other letters is looked for record by record.
  if (q.alias === '' || hasWildcards(q.alias) || !/^[\x20-\x7e]*$/.test(q.alias)) return undefined;
  const re = new RegExp(q.alias.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'giu');
  for (let m = re.exec(dir.t); m !== null; m = re.exec(dir.t)) {
    at.push(m.index);
    re.lastIndex = m.index + 1;
  }
  return at;
}

function positions(text: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) at.push(i);
  return at;
}

/** The records that hold the characters at `positions`, each once, in order. */
function recordsAt(dir: IndexedDir, positions: readonly number[]): number[] {
  const out: number[] = [];
  for (const p of [...positions].sort((x, y) => x - y)) {
    const i = recordIndexAt(dir, p);
    if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}
