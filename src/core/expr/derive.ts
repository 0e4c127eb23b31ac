// Derived metrics (gui.md §5.3): `name = expression` lines evaluated in order over result rows,
// later lines seeing earlier ones. Parsing all lines comes first, so a typo fails before any row.
import { CmError } from '../errors.js';
import type { Expr } from './ast.js';
import { evaluate, type Row } from './evaluate.js';
import { parseAssignment } from './parser.js';

/** Longest derivations text (all lines together), in UTF-16 code units. */
export const MAX_DERIVATIONS_LENGTH = 65_536;

export interface Derivation {
  /** The key it writes into each row. */
  readonly name: string;
  readonly expr: Expr;
}

/** A statement of the derivations text: its text and 1-based line. */
interface Statement {
  readonly text: string;
  readonly line: number;
}

/**
 * Splits at newlines, and at `;` outside quotes and backquotes; a `#` starting a statement makes
 * the rest of its line a comment. A quote left open ends with its line (the lexer then reports it).
 */
function statements(text: string): Statement[] {
  const out: Statement[] = [];
  let line = 1;
  let start = 0;
  let quote: string | undefined;
  let isComment = false;
  /** Only blanks since the statement began: a `#` here starts a comment. */
  let isBlank = true;
  const cut = (end: number): void => {
    out.push({ text: text.slice(start, end), line });
    start = end + 1;
    isBlank = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      cut(i);
      line++;
      quote = undefined;
      isComment = false;
      continue;
    }
    if (isComment) continue;
    if (quote !== undefined) {
      if (c === '\\' && text[i + 1] !== '\n') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '#' && isBlank) {
      isComment = true;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === ';') {
      cut(i);
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') isBlank = false;
  }
  cut(text.length);
  return out;
}

/**
 * Parses derivations: one `name = expr` per line or `;`-separated (also CM's `result['eff'] = …`
 * and `` `a.b` = … ``); blank lines and lines starting with `#` are skipped. A list is read as
 * its lines. Errors name `what` and the line (`--derive line 2`).
 */
export function parseDerivations(
  text: string | readonly string[],
  what = '--derive',
): Derivation[] {
  const all = typeof text === 'string' ? text : text.join('\n');
  if (all.length > MAX_DERIVATIONS_LENGTH) {
    throw new CmError(
      'bad-input',
      `${what}: ${all.length} characters of derivations; at most ${MAX_DERIVATIONS_LENGTH} are allowed`,
    );
  }
  const lines = all.split('\n').length;
  const out: Derivation[] = [];
  for (const s of statements(all)) {
    const trimmed = s.text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const where = lines > 1 ? `${what} line ${s.line}` : what;
    const { name, expr } = parseAssignment(s.text, where);
    out.push({ name, expr });
  }
  return out;
}

/**
 * New rows, each a copy of its input with every derivation evaluated in order (a later one sees
 * the earlier ones). A derivation that fails on a row (a type error, division by zero) sets null
 * there and counts in `errors`; `firstError` keeps the first such message. Inputs are not mutated.
 */
export function applyDerivations(
  rows: readonly Row[],
  derivations: readonly Derivation[],
): { rows: Record<string, unknown>[]; errors: number; firstError?: CmError } {
  let errors = 0;
  let firstError: CmError | undefined;
  const out = rows.map((row) => {
    const next: Record<string, unknown> = { ...row };
    for (const d of derivations) {
      let value: unknown;
      try {
        value = evaluate(d.expr, next);
      } catch (e) {
        if (!(e instanceof CmError)) throw e;
        errors++;
        firstError ??= e;
        value = null;
      }
      // defineProperty, not assignment: an own data property whatever the name.
      Object.defineProperty(next, d.name, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    return next;
  });
  return firstError ? { rows: out, errors, firstError } : { rows: out, errors };
}
