// Recursive descent over lexer.ts tokens into the tree of ast.ts; enforces the size and nesting
// limits and checks function names, arities and literal regexes before any row is evaluated.
// Precedence, loosest first: ?:  ||/or  &&/and  not  comparisons/in  + -  * / %  unary - + !  **
import { CmError } from '../errors.js';
import { didYouMean } from '../did-you-mean.js';
import type { ArithmeticOp, ComparisonOp, Expr, Node } from './ast.js';
import { ExprFault, locate } from './expr-error.js';
import { FUNCTION_NAMES, functionSpec, isFunctionName } from './functions.js';
import { tokenize, type Token } from './lexer.js';
import { compileRegex, type SafeRegex } from './safe-regex.js';

/** Longest expression text, in UTF-8 bytes. */
export const MAX_EXPRESSION_BYTES = 4096;
/** Deepest nesting of brackets, calls, unary operators and `**` chains. */
export const MAX_NESTING = 64;

const KEYWORDS = new Set(['true', 'false', 'null', 'and', 'or', 'not', 'in']);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
/** Names that, followed by `[`, read a key of the row: `r['a b']`, CM's `result['a b']`. */
const ROW_NAMES = new Set(['r', 'result']);

function shown(t: Token): string {
  return t.kind === 'end'
    ? 'end of expression'
    : t.kind === 'number'
      ? String(t.value)
      : JSON.stringify(t.value);
}

class Parser {
  private k = 0;
  private depth = 0;

  private readonly tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.k + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.k < this.tokens.length - 1) this.k++;
    return t;
  }

  isOp(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'op' && t.value === value;
  }

  isWord(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'name' && t.value === value;
  }

  unexpected(t: Token, hint?: string): never {
    const defaultHint =
      t.kind === 'op' && t.value === '='
        ? 'use == to compare'
        : t.kind === 'end'
          ? 'the expression stops too early'
          : undefined;
    throw new ExprFault(`unexpected ${shown(t)}`, { pos: t.pos, hint: hint ?? defaultHint });
  }

  expectOp(value: string, hint?: string): Token {
    if (!this.isOp(value)) this.unexpected(this.peek(), hint ?? `expected "${value}"`);
    return this.next();
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind === 'end') return;
    const isAssign = t.kind === 'op' && t.value === '=';
    this.unexpected(t, isAssign ? undefined : 'expected an operator or the end');
  }

  nest<T>(pos: number, parse: () => T): T {
    if (++this.depth > MAX_NESTING) {
      throw new ExprFault(`nested more than ${MAX_NESTING} levels deep`, {
        pos,
        hint: 'simplify the expression or split it into derived metrics',
      });
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  expression(): Node {
    const test = this.or();
    if (!this.isOp('?')) return test;
    const pos = this.next().pos;
    return this.nest(pos, () => {
      const then = this.expression();
      this.expectOp(':', 'a ?: needs both branches: test ? then : otherwise');
      const otherwise = this.expression();
      return { kind: 'conditional', test, then, otherwise, pos };
    });
  }

  or(): Node {
    let left = this.and();
    while (this.isOp('||') || this.isWord('or')) {
      const pos = this.next().pos;
      left = { kind: 'logical', op: 'or', left, right: this.and(), pos };
    }
    return left;
  }

  and(): Node {
    let left = this.not();
    while (this.isOp('&&') || this.isWord('and')) {
      const pos = this.next().pos;
      left = { kind: 'logical', op: 'and', left, right: this.not(), pos };
    }
    return left;
  }

  /** Python's `not` binds looser than comparisons (`not a == b` is `not (a == b)`); `!` does not. */
  not(): Node {
    if (!this.isWord('not')) return this.comparison();
    const pos = this.next().pos;
    return { kind: 'not', operand: this.nest(pos, () => this.not()), pos };
  }

  comparisonOp(): ComparisonOp | undefined {
    const t = this.peek();
    if (t.kind === 'op' && COMPARISONS.has(t.value)) return t.value as ComparisonOp;
    if (this.isWord('in')) return 'in';
    if (this.isWord('not') && this.isWord('in', 1)) return 'not in';
    return undefined;
  }

  comparison(): Node {
    const left = this.additive();
    const op = this.comparisonOp();
    if (op === undefined) return left;
    const pos = this.next().pos;
    if (op === 'not in') this.next();
    const right = this.additive();
    if (this.comparisonOp() !== undefined) {
      this.unexpected(this.peek(), 'comparisons do not chain: write a < b && b < c');
    }
    const isNull = (n: Node): boolean => n.kind === 'literal' && n.value === null;
    if ((op === '==' || op === '!=') && (isNull(left) || isNull(right))) {
      const operand = isNull(left) ? right : left;
      return { kind: 'is-null', negated: op === '!=', operand, pos };
    }
    return { kind: 'comparison', op, left, right, pos };
  }

  additive(): Node {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = {
        kind: 'arithmetic',
        op: t.value as ArithmeticOp,
        left,
        right: this.multiplicative(),
        pos: t.pos,
      };
    }
    return left;
  }

  multiplicative(): Node {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const t = this.next();
      left = {
        kind: 'arithmetic',
        op: t.value as ArithmeticOp,
        left,
        right: this.unary(),
        pos: t.pos,
      };
    }
    return left;
  }

  /** `-2 ** 2` is -(2 ** 2), as in Python; `2 ** -1` is allowed. */
  unary(): Node {
    const t = this.peek();
    if (t.kind === 'op' && (t.value === '-' || t.value === '+' || t.value === '!')) {
      this.next();
      const operand = this.nest(t.pos, () => this.unary());
      const kind = t.value === '-' ? 'negate' : t.value === '+' ? 'plus' : 'not';
      return { kind, operand, pos: t.pos };
    }
    return this.power();
  }

  power(): Node {
    const base = this.primary();
    if (!this.isOp('**')) return base;
    const pos = this.next().pos;
    const exponent = this.nest(pos, () => this.unary());
    return { kind: 'arithmetic', op: '**', left: base, right: exponent, pos };
  }

  primary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'literal', value: t.value, pos: t.pos };
      case 'string':
        return { kind: 'literal', value: t.value, pos: t.pos };
      case 'key':
        return { kind: 'field', key: t.value, pos: t.pos };
      case 'name':
        return this.named(t.value, t.pos);
      case 'op':
        if (t.value === '(') {
          const inner = this.nest(t.pos, () => this.expression());
          this.expectOp(')', 'a "(" is not closed');
          return inner;
        }
        if (t.value === '[') return this.nest(t.pos, () => this.list(t.pos));
        return this.unexpected(t);
      case 'end':
        return this.unexpected(t);
      default: {
        const never: never = t;
        throw new Error(`unhandled token ${String(never)}`);
      }
    }
  }

  named(name: string, pos: number): Node {
    if (name === 'true' || name === 'false')
      return { kind: 'literal', value: name === 'true', pos };
    if (name === 'null') return { kind: 'literal', value: null, pos };
    if (KEYWORDS.has(name)) {
      this.unexpected(
        this.tokens[this.k - 1]!,
        `"${name}" is a keyword; a key of that name is written \`${name}\``,
      );
    }
    if (this.isOp('(')) return this.nest(pos, () => this.call(name, pos));
    if (ROW_NAMES.has(name) && this.isOp('[')) return { kind: 'field', key: this.rowKey(), pos };
    return { kind: 'field', key: name, pos };
  }

  /** `[ 'key' ]` after r / result. */
  rowKey(): string {
    this.next();
    const key = this.next();
    if (key.kind !== 'string') this.unexpected(key, `write the key quoted: r['name']`);
    this.expectOp(']', `r['key'] takes one quoted key`);
    return key.value;
  }

  list(pos: number): Node {
    const items: Node[] = [];
    while (!this.isOp(']')) {
      items.push(this.expression());
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(']', 'separate list items with "," and close the list with "]"');
    return { kind: 'list', items, pos };
  }

  call(name: string, pos: number): Node {
    if (!isFunctionName(name)) {
      throw new ExprFault(`unknown function "${name}"`, {
        pos,
        hint: didYouMean(name, FUNCTION_NAMES) ?? `the functions are: ${FUNCTION_NAMES.join(', ')}`,
      });
    }
    this.next();
    const args: Node[] = [];
    while (!this.isOp(')')) {
      args.push(this.expression());
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(')', `separate ${name}() arguments with "," and close it with ")"`);
    const spec = functionSpec(name);
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const want =
        spec.minArgs === spec.maxArgs
          ? `${spec.minArgs}`
          : spec.maxArgs - spec.minArgs === 1
            ? `${spec.minArgs} or ${spec.maxArgs}`
            : `at least ${spec.minArgs}`;
      throw new ExprFault(
        `${name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`,
        { pos },
      );
    }
    const regex = name === 'matches' ? literalRegex(args) : undefined;
    return regex ? { kind: 'call', name, args, pos, regex } : { kind: 'call', name, args, pos };
  }

  /** `name = …`, `` `a.b` = … `` or `r['a b'] = …` at the start of a derivation. */
  assignmentTarget(): { name: string; pos: number } {
    const t = this.next();
    let name: string;
    if (t.kind === 'key') name = t.value;
    else if (t.kind === 'name' && ROW_NAMES.has(t.value) && this.isOp('[')) name = this.rowKey();
    else if (t.kind === 'name' && !KEYWORDS.has(t.value)) name = t.value;
    else
      this.unexpected(
        t,
        "a derivation starts with the name it defines: eff = a / b, or r['a b'] = …",
      );
    if (name === '__proto__') {
      throw new ExprFault('"__proto__" cannot be a derived key', {
        pos: t.pos,
        hint: 'choose another name',
      });
    }
    this.expectOp('=', 'write one `name = expression` per line');
    return { name, pos: t.pos };
  }
}

/** matches(s, 'literal'[, 'flags']) compiled now, so a bad pattern fails before any row. */
function literalRegex(args: readonly Node[]): SafeRegex | undefined {
  const [, pattern, flags] = args;
  if (pattern?.kind !== 'literal' || typeof pattern.value !== 'string') return undefined;
  if (flags !== undefined && (flags.kind !== 'literal' || typeof flags.value !== 'string'))
    return undefined;
  try {
    return compileRegex(pattern.value, flags?.kind === 'literal' ? String(flags.value) : '');
  } catch (e) {
    if (e instanceof ExprFault && e.pos === undefined) e.pos = pattern.pos;
    throw e;
  }
}

function checkSize(text: string, what: string): void {
  // A UTF-16 unit is at least one UTF-8 byte, so only short texts need encoding.
  const bytes =
    text.length > MAX_EXPRESSION_BYTES ? text.length : new TextEncoder().encode(text).length;
  if (bytes > MAX_EXPRESSION_BYTES) {
    throw new CmError(
      'bad-input',
      `${what}: expression is ${bytes} bytes long; at most ${MAX_EXPRESSION_BYTES} are allowed`,
      {
        hint: 'shorten it, or split it into derived metrics',
      },
    );
  }
}

function withLocation<T>(text: string, what: string, parse: () => T): T {
  checkSize(text, what);
  try {
    return parse();
  } catch (e) {
    if (e instanceof ExprFault) throw locate(what, text, e.pos ?? 0, e.message, e.hint);
    throw e;
  }
}

/** Parses one expression; `what` names it in errors (`--where`). Throws CmError('bad-input'). */
export function parseExpression(text: string, what = 'expression'): Expr {
  return withLocation(text, what, () => {
    const parser = new Parser(tokenize(text));
    if (parser.peek().kind === 'end') throw new ExprFault('empty expression', { pos: 0 });
    const root = parser.expression();
    parser.expectEnd();
    return { text, what, root };
  });
}

/** Parses `name = expression` (one derivation); positions are offsets into `text`. */
export function parseAssignment(text: string, what: string): { name: string; expr: Expr } {
  return withLocation(text, what, () => {
    const parser = new Parser(tokenize(text));
    const { name } = parser.assignmentTarget();
    if (parser.peek().kind === 'end')
      parser.unexpected(parser.peek(), `write an expression after "${name} ="`);
    const root = parser.expression();
    parser.expectEnd();
    return { name, expr: { text, what, root } };
  });
}
