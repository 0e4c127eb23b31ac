// Evaluates a parsed expression against one row (a flat result), with the language's null and
// coercion rules, and turns an expression into a row filter. No syntax here (parser.ts).
import type { CmError } from '../errors.js';
import type { ArithmeticOp, ComparisonOp, Expr, Node } from './ast.js';
import { ExprFault, placeFault } from './expr-error.js';
import { contains, functionSpec } from './functions.js';
import { parseExpression } from './parser.js';
import { asNumber, compareOrder, describe, display, isTruthy, looseEquals } from './values.js';

export type Row = Readonly<Record<string, unknown>>;

/** A row's own value under `key`, null when missing: never a prototype's (`__proto__`, `constructor`). */
function field(row: Row, key: string): unknown {
  return Object.hasOwn(row, key) ? (row[key] ?? null) : null;
}

function finite(op: string, n: number): number {
  if (!Number.isFinite(n)) throw new ExprFault(`"${op}" gives no finite number here`);
  return n;
}

/**
 * Arithmetic: null on either side gives null; numbers and numeric strings compute as numbers;
 * `+` with a non-numeric string joins the texts ("a" + 1 is "a1"); anything else is an error,
 * and so are division by zero and results that are not finite numbers.
 */
function arithmetic(op: ArithmeticOp, a: unknown, b: unknown): unknown {
  if (a === null || b === null) return null;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === undefined || y === undefined) {
    const isText = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number';
    if (op === '+' && isText(a) && isText(b)) return display(a) + display(b);
    throw new ExprFault(`cannot apply "${op}" to ${describe(a)} and ${describe(b)}`, {
      hint: 'num(x) reads a number from text; coalesce(x, 0) replaces null',
    });
  }
  switch (op) {
    case '+':
      return finite(op, x + y);
    case '-':
      return finite(op, x - y);
    case '*':
      return finite(op, x * y);
    case '/':
    case '%':
      if (y === 0) throw new ExprFault(`${op === '/' ? 'division' : 'remainder'} by zero`);
      // `%` is JavaScript's remainder: its sign follows the left operand.
      return finite(op, op === '/' ? x / y : x % y);
    case '**':
      return finite(op, x ** y);
    default: {
      const never: never = op;
      throw new Error(`unhandled operator ${String(never)}`);
    }
  }
}

/** Comparisons with null (or undefined) on either side are false; see values.ts for the rest. */
function comparison(op: ComparisonOp, a: unknown, b: unknown): boolean {
  if (a === null || b === null) return false;
  switch (op) {
    case '==':
      return looseEquals(a, b);
    case '!=':
      return !looseEquals(a, b);
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const order = compareOrder(a, b);
      if (order === undefined) return false;
      return op === '<'
        ? order < 0
        : op === '<='
          ? order <= 0
          : op === '>'
            ? order > 0
            : order >= 0;
    }
    default: {
      const never: never = op;
      throw new Error(`unhandled comparison ${String(never)}`);
    }
  }
}

/** Runs `compute`, placing a position-less ExprFault at `pos`. */
function at<T>(pos: number, compute: () => T): T {
  try {
    return compute();
  } catch (e) {
    if (e instanceof ExprFault && e.pos === undefined) e.pos = pos;
    throw e;
  }
}

function evalNode(node: Node, row: Row): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'field':
      return field(row, node.key);
    case 'list':
      return node.items.map((item) => evalNode(item, row));
    case 'negate':
    case 'plus': {
      const v = evalNode(node.operand, row);
      if (v === null) return null;
      const n = asNumber(v);
      if (n === undefined) {
        throw new ExprFault(
          `cannot apply unary "${node.kind === 'negate' ? '-' : '+'}" to ${describe(v)}`,
          {
            pos: node.pos,
          },
        );
      }
      return node.kind === 'negate' ? -n : n;
    }
    case 'not':
      return !isTruthy(evalNode(node.operand, row));
    case 'arithmetic': {
      const a = evalNode(node.left, row);
      const b = evalNode(node.right, row);
      return at(node.pos, () => arithmetic(node.op, a, b));
    }
    case 'comparison': {
      const a = evalNode(node.left, row);
      const b = evalNode(node.right, row);
      return at(node.pos, () => comparison(node.op, a, b));
    }
    case 'is-null':
      return (evalNode(node.operand, row) === null) !== node.negated;
    case 'logical': {
      // Like JavaScript and Python: the deciding operand itself, not a boolean.
      const left = evalNode(node.left, row);
      const decided = node.op === 'and' ? !isTruthy(left) : isTruthy(left);
      return decided ? left : evalNode(node.right, row);
    }
    case 'conditional':
      return evalNode(isTruthy(evalNode(node.test, row)) ? node.then : node.otherwise, row);
    case 'call': {
      const args = node.args.map((arg) => evalNode(arg, row));
      return at(node.pos, () => functionSpec(node.name).apply(args, node.regex));
    }
    default: {
      const never: never = node;
      throw new Error(`unhandled node ${String(never)}`);
    }
  }
}

/**
 * The value of `expr` for `row`: null, a number, string, boolean or list (row values pass
 * through as they are). A runtime error (a type error, division by zero) throws CmError('bad-input').
 */
export function evaluate(expr: Expr, row: Row): unknown {
  try {
    return evalNode(expr.root, row);
  } catch (e) {
    if (e instanceof ExprFault) throw placeFault(expr.what, expr.text, e, 0);
    throw e;
  }
}

export type RowFilter = (row: Row) => boolean;

/**
 * A predicate from a filter expression (parsed now, so a syntax error throws here): a truthy
 * value keeps the row, null and false drop it. A runtime error in a row throws CmError; use
 * filterRows to count such rows instead.
 */
export function compileFilter(text: string, what = '--where'): RowFilter {
  const expr = parseExpression(text, what);
  return (row) => isTruthy(evaluate(expr, row));
}

/** The rows `filter` keeps; a row whose evaluation fails is dropped and counted in `errors`. */
export function filterRows<T extends Row>(
  rows: readonly T[],
  filter: Expr,
): { rows: T[]; errors: number; firstError?: CmError } {
  const kept: T[] = [];
  let errors = 0;
  let firstError: CmError | undefined;
  for (const row of rows) {
    try {
      if (isTruthy(evalNode(filter.root, row))) kept.push(row);
    } catch (e) {
      if (!(e instanceof ExprFault)) throw e;
      errors++;
      firstError ??= placeFault(filter.what, filter.text, e, 0);
    }
  }
  return firstError ? { rows: kept, errors, firstError } : { rows: kept, errors };
}
