// The step command from the tail after `--` (experiment.md §2.6): tokens joined by spaces for
// bash. As in CM, a word without spaces goes to bash as it is — `$VAR` (the explored variables are
// exported), `&&`, `>` and `|` keep their meaning there — while a word with spaces, quotes or a
// backslash is single-quoted, so that it stays one argument (CM wrapped such words in "..." without
// escaping what they held). Pure text; nothing runs.

/** A word that bash could split, or whose quotes bash would take as its own: quoted. */
const NEEDS_QUOTES = /[\s'"\\]/;

/** `token` as one bash word: as it is unless it is empty or holds spaces, quotes or `\`. */
export function shellQuote(token: string): string {
  if (token !== '' && !NEEDS_QUOTES.test(token)) return token;
  return `'${token.replaceAll("'", "'\\''")}'`;
}

/** The tokens as one bash command line, joined by single spaces. */
export function joinCommand(tokens: readonly string[]): string {
  return tokens.map(shellQuote).join(' ');
}
