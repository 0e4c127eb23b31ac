// Command lines to copy and paste: words quoted so that a POSIX shell reads them back unchanged, and
// a CM input dict turned back into the flags that make it (--key=value, --env.KEY=value, --flag).

/** A word as a shell reads it back unchanged: bare when safe, else single-quoted. */
export function quoteWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Words as one command line to copy and paste: no glob, brace or variable expansion. */
export function commandLine(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}

/** Appends to `out` the flags that give input key `prefix` the value `value`. */
export function flagsOf(prefix: string, value: unknown, out: string[]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flagsOf(`${prefix}.${k}`, v, out);
    return;
  }
  // A list as CM's list flag (`--key,=a,b`: `--key=a,b` would read back as one string).
  if (Array.isArray(value)) out.push(`--${prefix},=${value.map(String).join(',')}`);
  else if (value === true) out.push(prefix.length === 1 ? `-${prefix}` : `--${prefix}`);
  else if (value !== undefined && value !== null) out.push(`--${prefix}=${String(value)}`);
}
