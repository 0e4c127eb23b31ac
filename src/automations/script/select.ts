// Selecting the script to run: by tags (with negative and variation tags) and/or names, ordered as
// the reference, filtered by the variations they define; when nothing matches, say why.
import { parseArtifactRef, type ArtifactRef } from '../../core/artifact-ref.js';
import { suggest } from '../../core/did-you-mean.js';
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import { describeVariations, variationKey } from '../../core/script/variations.js';
import { assertReadable, type ArtifactEntry } from '../../db/artifact-entry.js';
import { loadArtifact } from '../../db/artifact.js';
import { preferExactCase } from '../../db/search.js';
import type { CmContext } from '../context.js';

export const SCRIPT_UID = '5b4e0237da074764';
export const SCRIPT_FILTER = { alias: 'script', uid: SCRIPT_UID };

export interface Candidate {
  entry: ArtifactEntry;
  meta: Dict;
}

export function loadMeta(ctx: CmContext, entry: ArtifactEntry): Dict {
  return loadArtifact(entry, () => ctx.index.entries(), { cacheDir: ctx.paths.metaCacheDir }).meta;
}

export interface Query {
  names: string[];
  include: string[];
  exclude: string[];
  variations: string[];
}

export function describeQuery(q: Query): string {
  const parts = [...q.names];
  const tags = [
    ...q.include,
    ...q.exclude.map((t) => `-${t}`),
    ...q.variations.map((v) => (v.startsWith('-') ? `-_${v.slice(1)}` : `_${v}`)),
  ];
  if (tags.length) parts.push(`"${tags.join(' ')}"`);
  return parts.join(' ') || '(nothing)';
}

function definesVariation(meta: Dict, v: string): boolean {
  const variations = isDict(meta['variations']) ? meta['variations'] : {};
  return variationKey(variations, v.replace(/^-/, '')) !== undefined;
}

/** Scripts matching the query, sorted by (sort, built-in last, path), so that lists show a user's
 *  own or pulled scripts first (run's chooseScript always prefers them). Errors explain an empty
 *  result. */
export function findScripts(ctx: CmContext, q: Query): Candidate[] {
  const refs: ArtifactRef[] = q.names.map(parseArtifactRef);
  if (refs.length === 0 && q.include.length === 0 && q.exclude.length === 0) {
    throw new CmError('bad-input', 'which script? give tags or a name', {
      hint: 'e.g. cm run script "detect os"  or  cm run script --tags=detect,os  (cm find script lists them)',
    });
  }
  let entries = ctx.index.query({
    automation: SCRIPT_FILTER,
    refs,
    tags: { include: q.include, exclude: q.exclude },
  });
  entries = preferExactCase(entries, refs);
  if (entries.length === 0) throw explainNoMatch(ctx, q, refs);
  for (const e of entries) assertReadable(e);
  const candidates = entries.map((entry) => ({ entry, meta: loadMeta(ctx, entry) }));
  const withVariations = candidates.filter((c) =>
    q.variations.every((v) => definesVariation(c.meta, v)),
  );
  if (withVariations.length === 0) {
    const lines = candidates.map((c) => {
      const missing = q.variations.filter((v) => !definesVariation(c.meta, v));
      const variations = isDict(c.meta['variations']) ? c.meta['variations'] : {};
      const dym = missing.flatMap((m) =>
        suggest(m.replace(/^-/, ''), Object.keys(variations)).map((s) => `_${s}`),
      );
      return `${c.entry.alias}: no variation ${missing.map((m) => `_${m.replace(/^-/, '')}`).join(', ')}${dym.length ? ` (did you mean ${dym.join(' or ')}?)` : ''}; it has ${describeVariations(variations) || 'no variations'}`;
    });
    throw new CmError(
      'variation-unknown',
      `no scripts were found with above tags and variations: ${describeQuery(q)}`,
      { hint: lines.join('\n') },
    );
  }
  const sortOf = (m: Dict): number =>
    typeof m['sort'] === 'number' ? m['sort'] : Number(m['sort'] ?? 0) || 0;
  return withVariations.sort(
    (a, b) =>
      sortOf(a.meta) - sortOf(b.meta) ||
      Number(a.entry.repo.kind === 'internal') - Number(b.entry.repo.kind === 'internal') ||
      (a.entry.path < b.entry.path ? -1 : a.entry.path > b.entry.path ? 1 : 0),
  );
}

/** The reference says "no scripts were found"; we say which tag excluded which near candidates. */
function explainNoMatch(ctx: CmContext, q: Query, refs: ArtifactRef[]): CmError {
  const all = ctx.index.query({ automation: SCRIPT_FILTER, refs: refs.length ? refs : undefined });
  const message = `no scripts were found with above tags (when variations ignored): ${describeQuery(q)}`;
  if (refs.length > 0 && all.length === 0) {
    const names = ctx.index.aliases(SCRIPT_FILTER);
    const dym = refs.flatMap((r) => suggest(r.artifact.alias ?? '', names));
    return new CmError('script-not-found', `script ${q.names.join(' ')} not found`, {
      hint: dym.length
        ? `did you mean ${dym.map((d) => `"${d}"`).join(' or ')}?`
        : 'run "cm find script" to list scripts',
    });
  }
  const known = new Set(all.flatMap((e) => e.tags));
  const hints: string[] = [];
  // A meta that cannot be read has no known tags: say so rather than "no script has tag".
  const broken = all.filter((e) => e.error !== undefined);
  for (const e of broken.slice(0, 5)) hints.push(`script ${e.alias} is skipped: ${e.error}`);
  // A tag that is a script's name: the user meant the name.
  const aliases = new Set(all.map((e) => e.alias));
  for (const t of q.include)
    if (aliases.has(t))
      hints.push(
        `"${t}" is the name of a script: cm run script ${t}${q.variations.length ? ` --tags=${q.variations.map((v) => (v.startsWith('-') ? `-_${v.slice(1)}` : `_${v}`)).join(',')}` : ''}`,
      );
  const unknown = q.include.filter((t) => !known.has(t));
  const similar = new Map<string, string[]>();
  for (const t of unknown) {
    const s = suggest(t, known).filter((x) => x.length > 2 || t.length <= 3);
    similar.set(t, s);
    hints.push(
      `no script has tag "${t}"${s.length ? ` (did you mean ${s.map((x) => `"${x}"`).join(' or ')}?)` : ''}`,
    );
  }
  const near: string[] = [];
  for (const e of all) {
    const n = nearMiss(q, e.tags, similar);
    if (n !== undefined) near.push(`${e.alias} (tags ${e.tags.join(',')}) ${n}`);
    if (near.length >= 5) break;
  }
  if (near.length) hints.push(`near candidates:\n  ${near.join('\n  ')}`);
  const knownWanted = q.include.filter((t) => known.has(t));
  if (near.length === 0 && unknown.length > 0 && knownWanted.length > 0)
    hints.push(
      `cm find script --tags=${knownWanted.join(',')} lists the scripts with the other tags`,
    );
  if (hints.length === 0)
    hints.push('run "cm find script --tags=..." with fewer tags to see what exists');
  return new CmError('script-not-found', message, { hint: hints.join('\n') });
}

/**
 * How a script misses the query by one tag, when it is a near candidate: it lacks exactly one
 * wanted tag or has exactly one excluded tag, and it either shares most (more than half) of the
 * wanted tags or has a tag close to the one it lacks (the did-you-mean of a typo). So `get greting`
 * names no get-* script (one shared tag of two is not most), and `t hellp` names the script tagged
 * `t,hello`.
 */
function nearMiss(
  q: Query,
  tags: readonly string[],
  similar: Map<string, string[]>,
): string | undefined {
  const missing = q.include.filter((t) => !tags.includes(t));
  const excludedBy = q.exclude.filter((t) => tags.includes(t));
  if (missing.length + excludedBy.length !== 1) return undefined;
  const shared = q.include.length - missing.length;
  const close = missing.length
    ? (similar.get(missing[0]!) ?? []).filter((x) => tags.includes(x))
    : [];
  if (shared * 2 <= q.include.length && close.length === 0) return undefined;
  if (excludedBy.length) return `is excluded by -${excludedBy[0]}`;
  return `lacks tag "${missing[0]}"${close.length ? ` (has "${close[0]}")` : ''}`;
}
