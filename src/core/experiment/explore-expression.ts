// Evaluates a parsed exploration expression (explore-syntax.ts) to the values of one dimension,
// with Python's arithmetic. Only the comprehension's loop variable is a name; nothing is executed.
import { at, ExploreFault } from './explore-error.js';
import { parseExplore, type ExploreFunction, type PyNode } from './explore-syntax.js';
import {
  floorDivide,
  inclusiveRange,
  MAX_EXPLORE_VALUES,
  modulo,
  power,
  pythonRange,
  pythonRound,
  trueDivide,
} from './python-arithmetic.js';

type PyValue = number | string | boolean | readonly PyValue[];

/** Python's str-ish view of a value for messages. */
function shown(v: PyValue): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') return String(v);
  return 'a list';
}

function number(v: PyValue, what: string): number {
  if (typeof v !== 'number') throw new ExploreFault(`${what} needs numbers, got ${shown(v)}`);
  return v;
}

function binary(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return trueDivide(a, b);
    case '//':
      return floorDivide(a, b);
    case '%':
      return modulo(a, b);
    case '**':
      return power(a, b);
    default:
      throw new Error(`unhandled operator ${op}`);
  }
}

function arity(fn: string, args: readonly PyValue[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new ExploreFault(
      `${fn}() takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`,
    );
  }
}

function call(fn: ExploreFunction, args: readonly PyValue[]): PyValue {
  switch (fn) {
    case 'range': {
      arity(fn, args, 1, 3);
      const n = args.map((a) => number(a, 'range()'));
      return n.length === 1 ? pythonRange(0, n[0]!) : pythonRange(n[0]!, n[1]!, n[2]);
    }
    case 'min':
    case 'max': {
      arity(fn, args, 1, Infinity);
      const list =
        args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly PyValue[]) : args;
      if (list.length === 0) throw new ExploreFault(`${fn}() of an empty list`);
      const n = list.map((a) => number(a, `${fn}()`));
      return n.reduce((a, b) => (fn === 'min' ? Math.min(a, b) : Math.max(a, b)));
    }
    case 'abs':
      arity(fn, args, 1, 1);
      return Math.abs(number(args[0]!, 'abs()'));
    case 'round':
      arity(fn, args, 1, 2);
      return pythonRound(
        number(args[0]!, 'round()'),
        args[1] === undefined ? 0 : number(args[1], 'round()'),
      );
    case 'int': {
      arity(fn, args, 1, 1);
      const v = args[0]!;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
      return Math.trunc(number(v, 'int()'));
    }
    case 'float': {
      arity(fn, args, 1, 1);
      const v = args[0]!;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' && Number.isFinite(Number(v)) && v.trim() !== '') return Number(v);
      return number(v, 'float()');
    }
    default: {
      const never: never = fn;
      throw new Error(`unhandled function ${String(never)}`);
    }
  }
}

/** Most list items one expression may create in all (ranges, comprehensions, literals). */
const MAX_CREATED = 2 * MAX_EXPLORE_VALUES;

/** The loop variables in scope, and how many more list items may be created. */
interface Context {
  readonly scope: Map<string, PyValue>;
  budget: number;
}

function charge<T extends readonly PyValue[]>(ctx: Context, list: T, pos: number): T {
  ctx.budget -= list.length;
  if (ctx.budget < 0) {
    throw new ExploreFault(`the expression creates over ${MAX_CREATED} values`, { pos });
  }
  return list;
}

function evalNode(node: PyNode, ctx: Context): PyValue {
  switch (node.k) {
    case 'literal':
      return node.value;
    case 'name': {
      const v = ctx.scope.get(node.name);
      if (v === undefined) {
        const hint =
          node.name === 'None'
            ? 'None is not a value to explore'
            : 'only the loop variable of [EXPR for i in ...] is a name';
        throw new ExploreFault(`name "${node.name}" is not defined`, { pos: node.pos, hint });
      }
      return v;
    }
    case 'list':
      return charge(
        ctx,
        node.items.map((item) => evalNode(item, ctx)),
        node.pos,
      );
    case 'comprehension':
      return charge(ctx, comprehension(node, ctx), node.pos);
    case 'negate':
    case 'plus': {
      const operand = evalNode(node.operand, ctx);
      const v = at(node.pos, () => number(operand, `unary ${node.k === 'negate' ? '-' : '+'}`));
      return node.k === 'negate' ? -v : v;
    }
    case 'binary': {
      const a = evalNode(node.left, ctx);
      const b = evalNode(node.right, ctx);
      return at(node.pos, () =>
        binary(node.op, number(a, `"${node.op}"`), number(b, `"${node.op}"`)),
      );
    }
    case 'call': {
      const args = node.args.map((arg) => evalNode(arg, ctx));
      const value = at(node.pos, () => call(node.fn, args));
      return Array.isArray(value) ? charge(ctx, value, node.pos) : value;
    }
    default: {
      const never: never = node;
      throw new Error(`unhandled node ${String(never)}`);
    }
  }
}

/** `[item for variable in source]`, the variable bound in a copy of the scope. */
function comprehension(node: Extract<PyNode, { k: 'comprehension' }>, ctx: Context): PyValue[] {
  const source = evalNode(node.source, ctx);
  if (!Array.isArray(source)) {
    throw new ExploreFault(
      `a comprehension iterates over range(...) or a list, got ${shown(source)}`,
      {
        pos: node.source.pos,
      },
    );
  }
  const inner: Context = { scope: new Map(ctx.scope), budget: ctx.budget };
  const out = (source as readonly PyValue[]).map((v) => {
    inner.scope.set(node.variable, v);
    return evalNode(node.item, inner);
  });
  ctx.budget = inner.budget;
  return out;
}

/**
 * The values an exploration expression gives: a list's items, or one scalar as a one-element
 * list. Throws ExploreFault (with `pos`) for anything outside the grammar or a bad value.
 */
function fresh(): Context {
  return { scope: new Map(), budget: MAX_CREATED };
}

export function evaluateExploreExpression(text: string): Array<number | string | boolean> {
  const top = parseExplore(text);
  if (top.k === 'slice') {
    const [start, stop, step] = top.parts.map((p) =>
      at(p.pos, () => number(evalNode(p, fresh()), 'start:stop:step')),
    );
    return at(top.parts[0]!.pos, () => inclusiveRange(start!, stop!, step));
  }
  const value = evalNode(top.node, fresh());
  if (!Array.isArray(value)) return [value as number | string | boolean];
  if (value.length > MAX_EXPLORE_VALUES) {
    throw new ExploreFault(`${value.length} values; at most ${MAX_EXPLORE_VALUES} are allowed`, {
      pos: top.node.pos,
    });
  }
  return (value as readonly PyValue[]).map((v, k) => {
    if (Array.isArray(v))
      throw new ExploreFault(
        `item ${k + 1} is a list; a dimension takes strings, numbers and booleans`,
        { pos: top.node.pos },
      );
    return v as number | string | boolean;
  });
}
