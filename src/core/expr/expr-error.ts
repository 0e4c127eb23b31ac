// Where an expression went wrong: the one CmError shape shared by the lexer, parser and
// evaluator (`--where: unexpected ")" at column 7 of "a > (1))"`). Says nothing of the grammar.
import { CmError } from '../errors.js';

/**
 * A failure found inside the language before it is placed: helpers that know no positions
 * (functions, coercions, the regex compiler) throw this; the parser or evaluator adds `pos` and
 * turns it into a CmError with `locate`. It never leaves this folder.
 */
export class ExprFault extends Error {
  pos: number | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: { pos?: number; hint?: string } = {}) {
    super(message);
    this.name = 'ExprFault';
    this.pos = options.pos;
    this.hint = options.hint;
  }
}

/** Longest expression quoted whole in a message; a longer one is quoted around the column. */
const QUOTE_WHOLE = 120;

function quoteAround(text: string, pos: number): string {
  if (text.length <= QUOTE_WHOLE) return JSON.stringify(text);
  const from = Math.max(0, pos - 40);
  const to = Math.min(text.length, pos + 40);
  return `${from > 0 ? '…' : ''}${JSON.stringify(text.slice(from, to))}${to < text.length ? '…' : ''}`;
}

/**
 * A bad-input CmError naming the expression (`what`), the 1-based column of `pos` (a UTF-16
 * offset into `text`) and the text itself.
 */
export function locate(
  what: string,
  text: string,
  pos: number,
  message: string,
  hint?: string,
): CmError {
  const where = `at column ${pos + 1} of ${quoteAround(text, pos)}`;
  return new CmError('bad-input', `${what}: ${message} ${where}`, {
    hint,
    details: { expression: text, column: pos + 1 },
  });
}

/** An ExprFault placed at its own position, or at `fallback` when it has none. */
export function placeFault(
  what: string,
  text: string,
  fault: ExprFault,
  fallback: number,
): CmError {
  return locate(what, text, fault.pos ?? fallback, fault.message, fault.hint);
}
