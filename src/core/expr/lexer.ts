// Tokens of the expression language (gui.md §5.3): numbers, quoted strings, names, `backquoted
// keys` and operators, each with its offset. Knows nothing of precedence (parser.ts).
import { ExprFault } from './expr-error.js';

export type Token =
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | {
      readonly kind: 'string' | 'name' | 'key' | 'op';
      readonly value: string;
      readonly pos: number;
    }
  | { readonly kind: 'end'; readonly value: ''; readonly pos: number };

/** Longest first, so `**` is not read as two `*`. */
const OPERATORS = [
  '**',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '!',
  '?',
  ':',
  '(',
  ')',
  '[',
  ']',
  ',',
  '=',
] as const;

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /[ \t\r\n]+/y;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
};

function sticky(re: RegExp, text: string, pos: number): string | undefined {
  re.lastIndex = pos;
  return re.exec(text)?.[0];
}

/** `\uXXXX`, `\u{X…}` or `\xXX` at `pos` (the backslash): the character and the escape's length. */
function unicodeEscape(text: string, pos: number): [string, number] | undefined {
  const m = /^\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/.exec(
    text.slice(pos, pos + 10),
  );
  if (!m) return undefined;
  const code = parseInt(m[1] ?? m[2] ?? m[3]!, 16);
  if (code > 0x10ffff) return undefined;
  return [String.fromCodePoint(code), m[0].length];
}

/**
 * The quoted text starting at `pos` (the opening quote), its escapes resolved, and the offset
 * after the closing quote. Backquoted keys take only \` and \\ as escapes.
 */
function readQuoted(text: string, pos: number): [string, number] {
  const quote = text[pos]!;
  let out = '';
  let i = pos + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return [out, i + 1];
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    const isKey = quote === '`';
    if (next !== undefined && (isKey ? next === '`' || next === '\\' : next in SIMPLE_ESCAPES)) {
      out += isKey ? next : SIMPLE_ESCAPES[next]!;
      i += 2;
      continue;
    }
    const u = isKey ? undefined : unicodeEscape(text, i);
    if (!u) {
      throw new ExprFault(`unknown escape "\\${next ?? ''}"`, {
        pos: i,
        hint: isKey
          ? 'inside `…` only \\` and \\\\ are escapes'
          : 'escapes are \\n \\t \\r \\\\ \\\' \\" \\uXXXX; write \\\\ for a backslash',
      });
    }
    out += u[0];
    i += u[1];
  }
  const what = quote === '`' ? 'backquoted key' : 'string';
  throw new ExprFault(`unterminated ${what}`, { pos, hint: `close it with ${quote}` });
}

/** The tokens of `text`, ending with one `end` token. Throws ExprFault with `pos` set. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const space = sticky(SPACE, text, pos);
    if (space) {
      pos += space.length;
      continue;
    }
    const c = text[pos]!;
    const num = sticky(NUMBER, text, pos);
    if (num) {
      if (/[A-Za-z0-9_.]/.test(text[pos + num.length] ?? '')) {
        throw new ExprFault(`malformed number "${num}${text[pos + num.length]}"`, { pos });
      }
      tokens.push({ kind: 'number', value: Number(num), pos });
      pos += num.length;
      continue;
    }
    const name = sticky(NAME, text, pos);
    if (name) {
      tokens.push({ kind: 'name', value: name, pos });
      pos += name.length;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const [value, end] = readQuoted(text, pos);
      if (c === '`' && value === '') {
        throw new ExprFault('empty backquoted key', { pos, hint: 'write the key between the `…`' });
      }
      tokens.push({ kind: c === '`' ? 'key' : 'string', value, pos });
      pos = end;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, pos));
    if (!op) {
      const hint =
        c === '.'
          ? "a key with dots is written `a.b` or r['a.b']; bare names take only letters, digits and _"
          : undefined;
      throw new ExprFault(`unexpected character ${JSON.stringify(c)}`, { pos, hint });
    }
    tokens.push({ kind: 'op', value: op, pos });
    pos += op.length;
  }
  tokens.push({ kind: 'end', value: '', pos: text.length });
  return tokens;
}
