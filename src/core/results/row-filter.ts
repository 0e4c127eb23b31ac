// The filter step of a query, with CM's `_graph` semantics (gui.md §1.3 item 8): rows where the
// expression is false or null are dropped, rows whose evaluation fails are KEPT and counted.
import { CmError } from '../errors.js';
import { parseExpression, type Expr } from '../expr/index.js';
import { isTruthy } from '../expr/values.js';
import { queryError } from './query-error.js';
import { rowEvaluator, type RowTable } from './row-table.js';
import type { QueryError } from './types.js';

/** The parsed filter, or the syntax error that leaves the query unfiltered. */
export function compileRowFilter(text: string): { expr?: Expr; error?: QueryError } {
  try {
    return { expr: parseExpression(text, 'filter') };
  } catch (e) {
    return { error: queryError('filter', e) };
  }
}

/** The rows `expr` keeps, in order; an error names the first failure and how many rows failed. */
export function applyRowFilter(
  table: RowTable,
  rows: readonly number[],
  expr: Expr,
): { rows: number[]; error?: QueryError } {
  const evaluate = rowEvaluator(expr);
  const kept: number[] = [];
  let affected = 0;
  let first: CmError | undefined;
  for (const i of rows) {
    try {
      if (isTruthy(evaluate(table, i))) kept.push(i);
    } catch (e) {
      if (!(e instanceof CmError)) throw e;
      affected++;
      first ??= e;
      kept.push(i);
    }
  }
  if (!first) return { rows: kept };
  return { rows: kept, error: queryError('filter', first, { rowsAffected: affected }) };
}
