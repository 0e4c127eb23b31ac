// Queries over the index: artifacts of an automation by name, repo and tags.
import {
  hasWildcards,
  matchesName,
  parseArtifactRef,
  wildcardMatch,
  type ArtifactRef,
} from '../core/artifact-ref.js';
import { isEmptyTagQuery, matchesTags, type TagQuery } from '../core/tags.js';
import type { ArtifactEntry } from './artifact-entry.js';

export interface AutomationFilter {
  alias: string;
  uid: string;
  /** Wildcard over automation aliases (cross-automation search). */
  pattern?: string;
}

export interface ArtifactQuery {
  automation?: AutomationFilter;
  /** One or more references; none means any artifact. */
  refs?: ArtifactRef[];
  tags?: TagQuery;
}

export function isOfAutomation(
  e: Pick<ArtifactEntry, 'automationAlias' | 'automationUid'>,
  a: AutomationFilter,
): boolean {
  if (a.pattern !== undefined) return wildcardMatch(a.pattern, e.automationAlias);
  if (e.automationUid !== '' && a.uid !== '') return e.automationUid === a.uid;
  return e.automationAlias.toLowerCase() === a.alias.toLowerCase();
}

export function matchesRef(e: ArtifactEntry, ref: ArtifactRef): boolean {
  if (ref.repo && !matchesName(ref.repo, e.repo.alias, e.repo.uid)) return false;
  return matchesName(ref.artifact, e.alias, e.uid);
}

export function searchArtifacts(
  entries: readonly ArtifactEntry[],
  q: ArtifactQuery,
): ArtifactEntry[] {
  const refs = q.refs ?? [];
  const tags = q.tags && !isEmptyTagQuery(q.tags) ? q.tags : undefined;
  if (q.automation === undefined && refs.length === 0 && tags === undefined) return entries.slice();
  const out: ArtifactEntry[] = [];
  // An index, not for-of: before the loop is optimised each step of an iterator makes an object,
  // and a listing of 10,000 artifacts runs in a process that ends a moment later.
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (q.automation && !isOfAutomation(e, q.automation)) continue;
    if (refs.length > 0 && !refs.some((r) => matchesRef(e, r))) continue;
    if (tags && !matchesTags(e.tags, tags)) continue;
    out.push(e);
  }
  return out;
}

export function parseRefs(names: readonly string[]): ArtifactRef[] {
  return names.map(parseArtifactRef);
}

/**
 * Names match case-insensitively, but a name that matches some artifact exactly (same case) means
 * that one: with `my-ds` and `My-DS` side by side, `cm rm dataset my-ds` must not delete both.
 * (The reference gets this from its case-sensitive index, falling back to a scan only on a miss.)
 */
export function preferExactCase(
  found: ArtifactEntry[],
  refs: readonly ArtifactRef[],
): ArtifactEntry[] {
  if (refs.length === 0 || found.length < 2) return found;
  const keep = new Set<ArtifactEntry>();
  for (const ref of refs) {
    const matched = found.filter((e) => matchesRef(e, ref));
    const alias = ref.artifact.alias;
    const byAliasOnly =
      alias !== undefined && ref.artifact.uid === undefined && !hasWildcards(alias);
    const exact = byAliasOnly ? matched.filter((e) => e.alias === alias) : [];
    for (const e of exact.length > 0 ? exact : matched) keep.add(e);
  }
  return found.filter((e) => keep.has(e));
}
