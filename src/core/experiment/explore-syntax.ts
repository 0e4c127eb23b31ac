// Parses an exploration expression (experiment.md §2.5), a small Python subset: literals, lists,
// one-`for` list comprehensions, arithmetic, a few calls and MLCFlow's start:stop[:step]. Gives a
// tree; evaluating it is explore-expression.ts's job. Nothing here can name or run other code.
import { ExploreFault } from './explore-error.js';

/** Longest expression, in UTF-16 code units, and deepest nesting. */
export const MAX_EXPLORE_LENGTH = 4096;
export const MAX_EXPLORE_NESTING = 64;

export const EXPLORE_FUNCTIONS = ['range', 'min', 'max', 'abs', 'round', 'int', 'float'] as const;
export type ExploreFunction = (typeof EXPLORE_FUNCTIONS)[number];

export type PyNode =
  | { readonly k: 'literal'; readonly value: number | string | boolean; readonly pos: number }
  | { readonly k: 'name'; readonly name: string; readonly pos: number }
  | { readonly k: 'list'; readonly items: readonly PyNode[]; readonly pos: number }
  | {
      readonly k: 'comprehension';
      readonly item: PyNode;
      readonly variable: string;
      readonly source: PyNode;
      readonly pos: number;
    }
  | { readonly k: 'negate' | 'plus'; readonly operand: PyNode; readonly pos: number }
  | {
      readonly k: 'binary';
      readonly op: '+' | '-' | '*' | '/' | '//' | '%' | '**';
      readonly left: PyNode;
      readonly right: PyNode;
      readonly pos: number;
    }
  | {
      readonly k: 'call';
      readonly fn: ExploreFunction;
      readonly args: readonly PyNode[];
      readonly pos: number;
    };

/** The whole expression: one value, or `start:stop[:step]`. */
export type PyTop =
  | { readonly k: 'value'; readonly node: PyNode }
  | { readonly k: 'slice'; readonly parts: readonly PyNode[] };

type Token =
  | { readonly t: 'num'; readonly value: number; readonly pos: number }
  | { readonly t: 'str' | 'name' | 'op'; readonly value: string; readonly pos: number }
  | { readonly t: 'end'; readonly value: ''; readonly pos: number };

const OPS = ['**', '//', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', ':'];
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

function readString(text: string, pos: number): [string, number] {
  const quote = text[pos]!;
  let out = '';
  for (let i = pos + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === quote) return [out, i + 1];
    if (c === '\\' && i + 1 < text.length) {
      const e = text[++i]!;
      // Python keeps an unknown escape as written: '\d' is backslash-d.
      out += ESCAPES[e] ?? `\\${e}`;
    } else {
      out += c;
    }
  }
  throw new ExploreFault('unterminated string', { pos });
}

function sticky(re: RegExp, text: string, pos: number): string | undefined {
  re.lastIndex = pos;
  return re.exec(text)?.[0];
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const c = text[pos]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      pos++;
      continue;
    }
    const num = sticky(NUMBER, text, pos);
    const name = num ? undefined : sticky(NAME, text, pos);
    const op = num || name ? undefined : OPS.find((o) => text.startsWith(o, pos));
    if (num) {
      if (/[A-Za-z0-9_.]/.test(text[pos + num.length] ?? '')) {
        throw new ExploreFault(`malformed number "${num}${text[pos + num.length]}"`, { pos });
      }
      out.push({ t: 'num', value: Number(num), pos });
      pos += num.length;
    } else if (name) {
      out.push({ t: 'name', value: name, pos });
      pos += name.length;
    } else if (c === "'" || c === '"') {
      const [value, end] = readString(text, pos);
      out.push({ t: 'str', value, pos });
      pos = end;
    } else if (op) {
      out.push({ t: 'op', value: op, pos });
      pos += op.length;
    } else {
      throw new ExploreFault(`unexpected character ${JSON.stringify(c)}`, { pos });
    }
  }
  out.push({ t: 'end', value: '', pos: text.length });
  return out;
}

function shown(t: Token): string {
  return t.t === 'end'
    ? 'end of expression'
    : t.t === 'num'
      ? String(t.value)
      : JSON.stringify(t.value);
}

class PyParser {
  private k = 0;
  private depth = 0;
  private readonly tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  peek(): Token {
    return this.tokens[this.k]!;
  }

  next(): Token {
    const t = this.tokens[this.k]!;
    if (t.t !== 'end') this.k++;
    return t;
  }

  isOp(value: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.value === value;
  }

  isWord(value: string): boolean {
    const t = this.peek();
    return t.t === 'name' && t.value === value;
  }

  fail(t: Token, hint?: string): never {
    throw new ExploreFault(
      `unexpected ${shown(t)}`,
      hint === undefined ? { pos: t.pos } : { pos: t.pos, hint },
    );
  }

  expectOp(value: string): void {
    if (!this.isOp(value)) this.fail(this.peek(), `expected "${value}"`);
    this.next();
  }

  nest<T>(pos: number, parse: () => T): T {
    if (++this.depth > MAX_EXPLORE_NESTING) {
      throw new ExploreFault(`nested more than ${MAX_EXPLORE_NESTING} levels deep`, { pos });
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  top(): PyTop {
    const first = this.expression();
    if (!this.isOp(':')) {
      if (this.peek().t !== 'end') this.fail(this.peek());
      return { k: 'value', node: first };
    }
    const parts = [first];
    while (this.isOp(':') && parts.length < 3) {
      this.next();
      parts.push(this.expression());
    }
    if (this.peek().t !== 'end')
      this.fail(this.peek(), 'the MLCFlow form is start:stop or start:stop:step');
    return { k: 'slice', parts };
  }

  expression(): PyNode {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { k: 'binary', op: t.value as '+' | '-', left, right: this.term(), pos: t.pos };
    }
    return left;
  }

  term(): PyNode {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const t = this.next();
      left = {
        k: 'binary',
        op: t.value as '*' | '/' | '//' | '%',
        left,
        right: this.unary(),
        pos: t.pos,
      };
    }
    return left;
  }

  /** As in Python, `-2 ** 2` is -(2 ** 2) and `2 ** -1` is allowed. */
  unary(): PyNode {
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.next();
      const operand = this.nest(t.pos, () => this.unary());
      return { k: t.value === '-' ? 'negate' : 'plus', operand, pos: t.pos };
    }
    const base = this.primary();
    if (!this.isOp('**')) return base;
    const pos = this.next().pos;
    return { k: 'binary', op: '**', left: base, right: this.nest(pos, () => this.unary()), pos };
  }

  primary(): PyNode {
    const t = this.next();
    switch (t.t) {
      case 'num':
      case 'str':
        return { k: 'literal', value: t.value, pos: t.pos };
      case 'name':
        return this.named(t.value, t.pos);
      case 'op':
        if (t.value === '(') {
          const inner = this.nest(t.pos, () => this.expression());
          this.expectOp(')');
          return inner;
        }
        if (t.value === '[') return this.nest(t.pos, () => this.list(t.pos));
        return this.fail(t);
      case 'end':
        return this.fail(t);
      default: {
        const never: never = t;
        throw new Error(`unhandled token ${String(never)}`);
      }
    }
  }

  named(name: string, pos: number): PyNode {
    if (name === 'True' || name === 'true') return { k: 'literal', value: true, pos };
    if (name === 'False' || name === 'false') return { k: 'literal', value: false, pos };
    if (!this.isOp('(')) return { k: 'name', name, pos };
    if (!(EXPLORE_FUNCTIONS as readonly string[]).includes(name)) {
      throw new ExploreFault(`unknown function "${name}"`, {
        pos,
        hint: `the functions are ${EXPLORE_FUNCTIONS.join(', ')}`,
      });
    }
    this.next();
    const args: PyNode[] = [];
    while (!this.isOp(')')) {
      args.push(this.expression());
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(')');
    return { k: 'call', fn: name as ExploreFunction, args, pos };
  }

  /** After `[`: a list literal, or a comprehension `[EXPR for NAME in SOURCE]`. */
  list(pos: number): PyNode {
    const items: PyNode[] = [];
    while (!this.isOp(']')) {
      items.push(this.expression());
      if (items.length === 1 && this.isWord('for')) return this.comprehension(items[0]!, pos);
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(']');
    return { k: 'list', items, pos };
  }

  comprehension(item: PyNode, pos: number): PyNode {
    this.next();
    const variable = this.next();
    if (variable.t !== 'name') this.fail(variable, 'write [EXPR for i in range(...)]');
    if (!this.isWord('in')) this.fail(this.peek(), 'write [EXPR for i in range(...)]');
    this.next();
    const source = this.expression();
    if (!this.isOp(']')) this.fail(this.peek(), 'a comprehension takes one "for" and no "if"');
    this.next();
    return { k: 'comprehension', item, variable: variable.value, source, pos };
  }
}

/** Parses an exploration expression; throws ExploreFault with `pos` set. */
export function parseExplore(text: string): PyTop {
  if (text.length > MAX_EXPLORE_LENGTH) {
    throw new ExploreFault(`expression longer than ${MAX_EXPLORE_LENGTH} characters`, {
      pos: MAX_EXPLORE_LENGTH,
    });
  }
  const parser = new PyParser(tokenize(text));
  if (parser.peek().t === 'end') throw new ExploreFault('empty expression', { pos: 0 });
  return parser.top();
}
