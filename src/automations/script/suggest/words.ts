// The words of a request and of a script, as the search compares them: lower case, split at
// anything that is not a letter or digit (so `ml-model` is `ml` and `model`), stemmed (Porter,
// the `stemmer` package: "extracts" and "extracting" are "extract"), with CM's synonyms added to
// the request ("unpack" also looks for "extract").

/** Groups of words that mean the same thing in requests about CM scripts. */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['extract', 'unpack', 'unzip', 'untar', 'decompress', 'unarchive', 'uncompress'],
  ['download', 'fetch', 'pull'],
  ['os', 'operating-system', 'platform'],
  ['model', 'network', 'weights', 'checkpoint'],
  ['dataset', 'data', 'images', 'corpus'],
  ['python', 'python3', 'py', 'interpreter'],
  ['compiler', 'gcc', 'llvm', 'clang', 'cc'],
  ['install', 'setup'],
  ['detect', 'identify', 'check', 'discover'],
  ['cpu', 'processor'],
  ['gpu', 'cuda', 'nvidia'],
  ['venv', 'virtualenv', 'virtual-environment'],
  ['submission', 'submit'],
  ['preprocess', 'preprocessed', 'prepare'],
  ['benchmark', 'measure'],
  ['git', 'clone', 'repository'],
  ['accuracy', 'evaluate', 'evaluation'],
];

/** Phrases of several words that stand for one synonym group's word. */
const PHRASES: ReadonlyArray<[RegExp, string]> = [
  [/\boperating\s+systems?\b/g, 'os'],
  [/\bvirtual\s+env(ironment)?s?\b/g, 'venv'],
  [/\bmachine\s+learning\s+models?\b/g, 'model'],
];

export type Stem = (word: string) => string;

/** The raw words of a text: lower case, split at anything that is not a letter or a digit. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** A request's text with its multi-word phrases replaced by their one word ("operating system" → os). */
export function withPhrases(text: string): string {
  let t = text.toLowerCase();
  for (const [re, word] of PHRASES) t = t.replace(re, ` ${word} `);
  return t;
}

/** Synonyms of each stemmed word, by stem. */
export function synonymTable(stem: Stem): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const group of SYNONYM_GROUPS) {
    const stems = [...new Set(group.flatMap((w) => wordsOf(w)).map(stem))];
    for (const s of stems) table.set(s, [...new Set([...(table.get(s) ?? []), ...stems])]);
  }
  return table;
}

/**
 * The terms a request searches for: its stemmed words, each with its synonyms. `original` keeps
 * which word a term came from, so that a result can say which words matched.
 */
export function requestTerms(
  text: string,
  stem: Stem,
  synonyms: Map<string, string[]>,
): Array<{ word: string; stems: string[] }> {
  return wordsOf(withPhrases(text)).map((word) => {
    const s = stem(word);
    return { word, stems: [...new Set([s, ...(synonyms.get(s) ?? [])])] };
  });
}
