// `cm suggest "WORDS"`: the scripts of every registered repo ranked for a plain-language request,
// offline, with MiniSearch (BM25 over the fields of documents.ts, prefix and typo-tolerant
// matching) on stemmed words with CM's synonyms (words.ts), each with a ready command line.
import type MiniSearchType from 'minisearch';
import type { SearchResult } from 'minisearch';
import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';
import { suggest as nearest } from '../../../core/did-you-mean.js';
import type { CmContext } from '../../context.js';
import { commandLine } from './command-line.js';
import type { ScriptDocument } from './documents.js';
import { searchableScripts, type Searchable } from './search-index.js';
import { requestTerms, synonymTable, wordsOf, type Stem } from './words.js';

export interface Suggestion {
  alias: string;
  uid: string;
  /** The alias of the repo the script is in. */
  repo: string;
  score: number;
  /** The meta's name and description, or its README's first paragraph ('' if none). */
  description: string;
  tags: string[];
  /** The variations the words picked (without `_`). */
  variations: string[];
  /** A ready command line: `cmr "TAGS _VARIATION"` (`mlcr` for scripts of MLC repos). */
  command: string;
  /** The request's words that matched something of this script. */
  matched: string[];
  /** Other repos with a script of the same alias (a copy, or another version of it). */
  alsoIn?: string[];
}

export interface SuggestResult {
  query: string;
  suggestions: Suggestion[];
  /** When nothing is close: the tags most similar to the request's words. */
  similarTags?: string[];
}

/** Fields searched, with their weight. */
const BOOST = {
  alias: 3,
  tags: 3,
  name: 2,
  variations: 1.5,
  category: 1,
  inputs: 1,
  description: 1,
};
const FIELDS = Object.keys(BOOST) as Array<keyof typeof BOOST>;

function fieldText(d: ScriptDocument, field: keyof typeof BOOST): string {
  switch (field) {
    case 'tags':
      return d.tags.join(' ');
    case 'variations':
      return d.variations.map(([name]) => name).join(' ');
    default:
      return d[field];
  }
}

/** MiniSearch, loaded on first use (its CommonJS build: no ESM loader), and a memoized stemmer. */
function loadLibraries(): { MiniSearch: typeof MiniSearchType; stem: Stem } {
  const MiniSearch = createRequire(import.meta.url)('minisearch') as typeof MiniSearchType;
  // A catalog repeats its words: each is stemmed once.
  const stems = new Map<string, string>();
  const stem: Stem = (w) => {
    let s = stems.get(w);
    if (s === undefined) stems.set(w, (s = stemmer(w)));
    return s;
  };
  return { MiniSearch, stem };
}

function describe(d: ScriptDocument): string {
  if (d.name && d.description) return `${d.name}: ${d.description}`;
  return d.name || d.description;
}

type Hit = SearchResult;
type Terms = ReturnType<typeof requestTerms>;

/** The ranked hits for the request's terms (none for a request without words). */
function ranked(search: Searchable['search'], terms: Terms): Hit[] {
  if (terms.length === 0) return [];
  // The request's own words forgive typos: one edit from 4 letters, two from 5 ("cmkae" is
  // two from "cmake"); their synonyms only match as they are or as a prefix.
  const fuzzy = (term: string): number => (term.length >= 5 ? 2 : term.length >= 4 ? 1 : 0);
  const prefix = (term: string): boolean => term.length >= 3;
  const queries = terms.flatMap(({ stems: [own, ...synonyms] }) => [
    { queries: [own!], fuzzy, prefix },
    ...(synonyms.length > 0 ? [{ queries: synonyms, prefix }] : []),
  ]);
  // The terms are stems already: no second stemming.
  return search.search({ combineWith: 'OR', queries }, { boost: BOOST, processTerm: (t) => t });
}

/** One suggestion: the best-ranked copy of a script, naming the repos of the others. */
function suggestionOf(
  [hit, ...copies]: [Hit, ...Hit[]],
  docs: readonly ScriptDocument[],
  request: { terms: Terms; ownStems: ReadonlySet<string> },
  stem: Stem,
): Suggestion {
  const doc = docs[Number(hit.id)]!;
  const { terms, ownStems } = request;
  const line = commandLine(
    doc,
    docs,
    { terms: new Set([...hit.terms, ...hit.queryTerms]), ownStems },
    stem,
  );
  return {
    alias: doc.alias,
    uid: doc.uid,
    repo: doc.repo,
    score: Math.round(hit.score * 100) / 100,
    description: describe(doc),
    tags: doc.tags,
    variations: line.variations,
    command: line.command,
    matched: terms
      .filter((t) => t.stems.some((s) => hit.queryTerms.includes(s)))
      .map((t) => t.word),
    ...(copies.length > 0 ? { alsoIn: copies.map((c) => docs[Number(c.id)]!.repo) } : {}),
  };
}

/** Ranks the scripts for `query`; `limit` results at most (default 5), one per alias. */
export async function suggestScripts(
  ctx: CmContext,
  query: string,
  opts: { limit?: number } = {},
): Promise<SuggestResult> {
  const limit = opts.limit ?? 5;
  const { MiniSearch, stem } = loadLibraries();
  const { docs, search } = searchableScripts(ctx, MiniSearch, {
    fields: FIELDS,
    extractField: (d, field) =>
      field === 'id' ? String(d.id) : fieldText(d, field as keyof typeof BOOST),
    tokenize: (text) => wordsOf(text),
    processTerm: (term) => stem(term),
  });
  const terms = requestTerms(query, stem, synonymTable(stem));
  const byAlias = new Map<string, [Hit, ...Hit[]]>();
  for (const hit of ranked(search, terms)) {
    const alias = docs[Number(hit.id)]!.alias;
    const same = byAlias.get(alias);
    if (same) same.push(hit);
    else if (byAlias.size < limit) byAlias.set(alias, [hit]);
  }
  // The request's own words (not their synonyms): they alone pick variations.
  const ownStems = new Set(terms.map((t) => t.stems[0]!));
  const suggestions = [...byAlias.values()].map((hits) =>
    suggestionOf(hits, docs, { terms, ownStems }, stem),
  );
  const result: SuggestResult = { query, suggestions };
  if (suggestions.length === 0) {
    const allTags = [...new Set(docs.flatMap((d) => d.tags))];
    const words = wordsOf(query);
    result.similarTags = [...new Set(words.flatMap((w) => nearest(w, allTags, 3)))].slice(0, 8);
  }
  return result;
}
