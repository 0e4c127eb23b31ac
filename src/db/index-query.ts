// Cheap tests on stored records that decide which ones become entries for a query: conservative,
// since searchArtifacts() on the entries has the last word.
import { hasWildcards, matchesName, type NamePart } from '../core/artifact-ref.js';
import { F_ALIAS, F_NAME, F_TAGS, F_UID, field, isEmptyField } from './index-record.js';
import type { Repo } from './repo.js';
import { isOfAutomation, type ArtifactQuery } from './search.js';

/** Cheap, conservative tests on stored records: they may keep too much, never too little. */
export interface RecordFilter {
  repo(repo: Repo): boolean;
  automation(dirName: string, dirUid: string): boolean;
  record(r: string, b: Int32Array, inheritedTags: string | undefined): boolean;
}

export const KEEP_ALL: RecordFilter = {
  repo: () => true,
  automation: () => true,
  record: () => true,
};

export function prefilter(q: ArtifactQuery): RecordFilter {
  const refs = q.refs ?? [];
  const needles = (q.tags?.include ?? []).map((t) => `,${t},`);
  const auto = q.automation;
  return {
    repo: (repo) =>
      refs.length === 0 ||
      refs.some((ref) => !ref.repo || matchesName(ref.repo, repo.alias, repo.uid)),
    automation: (dirName, dirUid) =>
      auto === undefined ||
      isOfAutomation({ automationAlias: dirName, automationUid: dirUid }, auto),
    record(r, b, inheritedTags) {
      if (needles.length > 0) {
        const text = inheritedTags ?? r;
        const from = inheritedTags === undefined ? b[F_TAGS]! : 0;
        for (const n of needles) if (text.indexOf(n, from) < 0) return false;
      }
      if (refs.length === 0) return true;
      return refs.some((ref) => mayMatchName(r, b, ref.artifact));
    },
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
