// One artifact as the database sees it (alias, uid, automation, tags), where its meta files are,
// and `_base` inheritance between artifacts.
import { CmError } from '../core/errors.js';
import type { Repo } from './repo.js';

/** Meta files of a CM artifact, in merge order (YAML first, JSON wins per top-level key). An MLC
 *  repo's artifacts have meta.yaml / meta.json instead (see META_FILES_OF in repo.ts). */
export { ARTIFACT_META_FILES } from './repo.js';

/** One artifact as found through the index. `tags` include inherited ones (`_base`). */
export interface ArtifactEntry {
  repo: Repo;
  path: string;
  /** Name of the automation folder it sits in. */
  automationDir: string;
  alias: string;
  uid: string;
  automationAlias: string;
  automationUid: string;
  tags: string[];
  base?: string;
  error?: string;
  /** mtime and size of the YAML then the JSON meta file (-1: absent), as checked by this command's
   *  index. */
  metaStamps?: number[];
}

/** `_base: "automation::artifact"` or `"artifact"`: tags are the base's followed by the own ones. */
export function applyInheritedTags(entries: ArtifactEntry[]): void {
  const withBase = entries.filter((e) => e.base !== undefined);
  if (withBase.length === 0) return;
  const own = new Map(entries.map((e) => [e, e.tags]));
  const resolve = (e: ArtifactEntry, depth: number): string[] => {
    const tags = own.get(e) ?? e.tags;
    if (e.base === undefined || depth > 10) return tags;
    const base = findBase(entries, e);
    return base ? [...resolve(base, depth + 1), ...tags] : tags;
  };
  for (const e of withBase) e.tags = resolve(e, 0);
}

/**
 * What `e.base` names, as a test of an artifact: `"automation::artifact"` or `"artifact"` (in e's
 * own automation), each part an alias, a uid or `alias,uid`. The reference is parsed once.
 */
export function baseMatcher(e: ArtifactEntry): (x: ArtifactEntry) => boolean {
  const ref = e.base ?? '';
  const [autoName, artName] = ref.includes('::')
    ? (ref.split('::', 2) as [string, string])
    : ['', ref];
  const [artAlias = '', artUid = ''] = artName.split(',');
  const [a = '', u = ''] = autoName.split(',');
  const matchesAuto = (x: ArtifactEntry): boolean =>
    autoName === ''
      ? x.automationUid === e.automationUid && x.automationAlias === e.automationAlias
      : x.automationAlias === a || x.automationUid === a || (u !== '' && x.automationUid === u);
  return (x) =>
    matchesAuto(x) &&
    (x.alias === artAlias || x.uid === artAlias || (artUid !== '' && x.uid === artUid));
}

/** The artifact named by `e.base`, searched by alias or uid within the named (or own) automation. */
export function findBase(
  entries: readonly ArtifactEntry[],
  e: ArtifactEntry,
): ArtifactEntry | undefined {
  const named = baseMatcher(e);
  return entries.find((x) => x !== e && named(x));
}

/** Report an artifact whose meta could not be parsed. */
export function assertReadable(e: ArtifactEntry): void {
  if (e.error !== undefined) {
    throw new CmError('bad-meta', e.error, {
      hint: 'fix the file by hand (or delete it), then run the command again',
    });
  }
}
