// The constraints step of a query (gui.md §5.4, experiment.md §6.3): expressions or CK's
// structured `{key, op, value}` conditions, ANDed; a row failing one violates them.
import { CmError } from '../errors.js';
import { parseExpression } from '../expr/index.js';
import { compareOrder, isTruthy, looseEquals } from '../expr/values.js';
import { queryError } from './query-error.js';
import { rowEvaluator, valueAt, type RowTable } from './row-table.js';
import type { Constraint, ConstraintOp, QueryError } from './types.js';

/** One constraint as a test (it may throw CmError when an expression fails on the row). */
export interface ConstraintCheck {
  /** Its place in the request's list (0-based). */
  index: number;
  test: (table: RowTable, i: number) => boolean;
}

type RowTest = ConstraintCheck['test'];

const OPS: ReadonlySet<string> = new Set<ConstraintOp>(['<', '<=', '==', '!=', '>', '>=']);

/**
 * CK's condition: a missing (or null) value fails whatever the operator; numbers and numeric
 * strings compare by value, strings by code unit, `==` as the expression language's `==`.
 */
function structuredTest(key: string, op: ConstraintOp, value: unknown): RowTest {
  return (table, i) => {
    const v = valueAt(table, i, key);
    if (v === null || v === undefined || value === null || value === undefined) return false;
    if (op === '==') return looseEquals(v, value);
    if (op === '!=') return !looseEquals(v, value);
    const order = compareOrder(v, value);
    if (order === undefined) return false;
    return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
  };
}

function compileOne(c: Constraint, index: number): RowTest | undefined {
  const what = `constraint ${index + 1}`;
  if (c === null || typeof c !== 'object')
    throw new CmError('bad-input', `${what}: not {expr} nor {key, op, value}`);
  if ('expr' in c) {
    if (typeof c.expr !== 'string') throw new CmError('bad-input', `${what}: expr is not a string`);
    if (c.expr.trim() === '') return undefined;
    const evaluate = rowEvaluator(parseExpression(c.expr, what));
    return (table, i) => isTruthy(evaluate(table, i));
  }
  if (typeof c.key !== 'string' || c.key === '')
    throw new CmError('bad-input', `${what}: key is not a non-empty string`);
  if (!OPS.has(c.op))
    throw new CmError('bad-input', `${what}: unknown operator ${JSON.stringify(c.op)}`, {
      hint: 'the operators are < <= == != > >=',
    });
  return structuredTest(c.key, c.op, c.value);
}

/** The checks of the valid constraints (blank expressions are skipped) and the errors of the others. */
export function compileConstraints(constraints: readonly Constraint[]): {
  checks: ConstraintCheck[];
  errors: QueryError[];
} {
  const checks: ConstraintCheck[] = [];
  const errors: QueryError[] = [];
  constraints.forEach((c, index) => {
    try {
      const test = compileOne(c, index);
      if (test) checks.push({ index, test });
    } catch (e) {
      errors.push(queryError('constraints', e, { index }));
    }
  });
  return { checks, errors };
}

/**
 * Per row of the table: 1 when it is one of `rows` and violates a constraint. A row on which a
 * constraint cannot be evaluated violates it (as a missing value does) and is counted in the error.
 */
export function checkConstraints(
  table: RowTable,
  rows: readonly number[],
  checks: readonly ConstraintCheck[],
): { violates: Uint8Array; count: number; error?: QueryError } {
  const violates = new Uint8Array(table.rows.length);
  let count = 0;
  let affected = 0;
  let first: { e: CmError; index: number } | undefined;
  for (const i of rows) {
    let isOk = true;
    for (let j = 0; isOk && j < checks.length; j++) {
      const check = checks[j]!;
      try {
        isOk = check.test(table, i);
      } catch (e) {
        if (!(e instanceof CmError)) throw e;
        affected++;
        first ??= { e, index: check.index };
        isOk = false;
      }
    }
    if (!isOk) {
      violates[i] = 1;
      count++;
    }
  }
  if (!first) return { violates, count };
  return {
    violates,
    count,
    error: queryError('constraints', first.e, { index: first.index, rowsAffected: affected }),
  };
}
