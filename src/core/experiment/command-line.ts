// The step command from the tail after `--` (experiment.md §2.6): tokens joined by spaces for
// bash, each one that the shell would split or expand single-quoted. Pure text; nothing runs.

/** Characters a token may hold unquoted: none of them means anything to bash. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Our own `{{NAME}}` markers, which stay readable unquoted (`echo {{CD}}`). */
const MARKER = /\{\{[A-Za-z_][A-Za-z0-9_]*\}\}/g;

/** `token` as bash reads it back: as it is when safe, else in '…' with ' written '\''. */
export function shellQuote(token: string): string {
  if (token !== '') {
    const rest = token.replace(MARKER, '');
    if (rest === '' || SAFE.test(rest)) return token;
  }
  return `'${token.replaceAll("'", "'\\''")}'`;
}

/** The tokens as one bash command line, joined by single spaces. */
export function joinCommand(tokens: readonly string[]): string {
  return tokens.map(shellQuote).join(' ');
}
