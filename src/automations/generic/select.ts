// Selecting the artifacts an action works on: by references, wildcards and tags, with clear errors
// for "none" (did-you-mean) and "more than one" (the candidates).
import { formatName, parseArtifactRef, type ArtifactRef } from '../../core/artifact-ref.js';
import { didYouMean } from '../../core/did-you-mean.js';
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import { parseTagQuery, type TagQuery } from '../../core/tags.js';
import type { ArtifactEntry } from '../../db/artifact-entry.js';
import { preferExactCase, type AutomationFilter } from '../../db/search.js';
import type { AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { artifactNames } from '../input.js';

export function automationFilter(a: AutomationHandle): AutomationFilter {
  return a.pattern !== undefined
    ? { alias: a.alias, uid: '', pattern: a.pattern }
    : { alias: a.alias, uid: a.uid };
}

export interface Selection {
  refs: ArtifactRef[];
  tags: TagQuery;
  found: ArtifactEntry[];
}

export function select(
  ctx: CmContext,
  automation: AutomationHandle,
  input: Dict,
  tagsKey = 'tags',
  /** false when the caller reads the selected artifacts and reports their errors itself. */
  warnSelected = true,
): Selection {
  const refs = artifactNames(input).map(parseArtifactRef);
  const tags = parseTagQuery(input[tagsKey]);
  const found = preferExactCase(
    ctx.index.query({
      automation: automationFilter(automation),
      refs,
      tags,
    }),
    refs,
  );
  // A meta that cannot be parsed must not vanish silently from query results (nor be named twice
  // when the caller reports its error itself).
  const selected = new Set(warnSelected ? [] : found.map((e) => e.path));
  const broken = ctx.index.hasUnreadable()
    ? ctx.index
        .query({ automation: automationFilter(automation), refs })
        .filter((e) => e.error !== undefined && !selected.has(e.path))
    : [];
  for (const e of broken)
    ctx.emit({
      type: 'warning',
      text: `${e.error} (artifact ${e.alias} is skipped by tag queries until fixed)`,
    });
  return { refs, tags, found };
}

/** A view of an artifact that serialises to JSON (`--json` output, library results). */
export function artifactView(e: ArtifactEntry): Dict {
  const view: Dict = {
    path: e.path,
    alias: e.alias,
    uid: e.uid,
    automation_alias: e.automationAlias,
    automation_uid: e.automationUid,
    repo_alias: e.repo.alias,
    repo_uid: e.repo.uid,
  };
  // Read only when someone looks (JSON output, a library caller): `cm ls` of 10,000 does not.
  return Object.defineProperty(view, 'tags', { get: () => e.tags, enumerable: true });
}

function describe(sel: Selection): string {
  const parts: string[] = [];
  if (sel.refs.length > 0)
    parts.push(
      sel.refs
        .map((r) => (r.repo ? `${formatName(r.repo)}:` : '') + formatName(r.artifact))
        .join(' '),
    );
  if (sel.tags.include.length + sel.tags.exclude.length > 0) {
    parts.push(`tags=${[...sel.tags.include, ...sel.tags.exclude.map((t) => `-${t}`)].join(',')}`);
  }
  return parts.join(' with ') || '(any)';
}

/** Did-you-mean over the aliases of the same automation. */
export function nearNames(
  ctx: CmContext,
  automation: AutomationHandle,
  sel: Selection,
): string | undefined {
  const name = sel.refs[0]?.artifact.alias;
  if (name !== undefined) return didYouMean(name, ctx.index.aliases(automationFilter(automation)));
  if (sel.tags.include.length > 0) {
    const same = ctx.index.query({ automation: automationFilter(automation) });
    const known = new Set(same.flatMap((e) => e.tags));
    const unknown = sel.tags.include.filter((t) => !known.has(t));
    if (unknown.length > 0) {
      const dym = unknown.map((t) => didYouMean(t, known)).filter(Boolean);
      return `no ${automation.alias} artifact has tag(s) ${unknown.join(', ')}${dym.length ? `; ${dym.join(' ')}` : ''}`;
    }
  }
  return undefined;
}

export function notFound(
  ctx: CmContext,
  automation: AutomationHandle,
  sel: Selection,
  what = 'artifact',
): CmError {
  const hint = nearNames(ctx, automation, sel);
  return new CmError(
    'artifact-not-found',
    `${what} not found: ${automation.alias} ${describe(sel)}`,
    {
      hint: hint ?? `run "cm find ${automation.alias}" to list them`,
    },
  );
}

/** Exactly one artifact, or a clear error. */
export function selectOne(
  ctx: CmContext,
  automation: AutomationHandle,
  input: Dict,
  tagsKey = 'tags',
): ArtifactEntry {
  const sel = select(ctx, automation, input, tagsKey, false);
  if (sel.refs.length === 0 && sel.tags.include.length + sel.tags.exclude.length === 0) {
    throw new CmError(
      'bad-input',
      `name the ${automation.alias} artifact (alias, uid, repo:alias) or give --tags`,
    );
  }
  if (sel.found.length === 0) throw notFound(ctx, automation, sel);
  if (sel.found.length > 1) {
    const list = sel.found.map((e) => `${e.repo.alias}:${e.alias},${e.uid}  ${e.path}`);
    throw new CmError('artifact-ambiguous', `more than 1 artifact found for ${describe(sel)}`, {
      hint: `name one of them with repo:alias or its uid:\n  ${list.join('\n  ')}`,
      details: { candidates: sel.found.map(artifactView) },
    });
  }
  return sel.found[0]!;
}
