// The rows a query works on: the store's rows, never copied, plus the derived metrics as
// columns beside them. A merged row object is built only for the rows returned, because copying
// 100,000 rows to add one key costs more than the whole rest of a query.
import type { Expr, Node } from '../expr/index.js';
import { evaluate } from '../expr/index.js';
import type { ResultRow } from './types.js';

export interface RowTable {
  readonly rows: readonly ResultRow[];
  /** Derived metrics by name, each aligned with `rows`; they win over a row's own key. */
  readonly derived: ReadonlyMap<string, readonly unknown[]>;
}

/** The value of `key` in row `i` as the merged row has it (undefined when missing). */
export function valueAt(table: RowTable, i: number, key: string): unknown {
  const column = table.derived.get(key);
  if (column) return column[i];
  const row = table.rows[i]!;
  return Object.hasOwn(row, key) ? row[key] : undefined;
}

/** Row `i` with its derived metrics: the row itself when there are none, else a new object. */
export function rowAt(table: RowTable, i: number): ResultRow {
  const row = table.rows[i]!;
  if (table.derived.size === 0) return row;
  const out: Record<string, unknown> = { ...row };
  // The parser refuses `__proto__` as a derived name, so assignment makes an own property.
  for (const [name, column] of table.derived) out[name] = column[i];
  return out as ResultRow;
}

function collectFields(node: Node, out: Set<string>): void {
  switch (node.kind) {
    case 'literal':
      return;
    case 'field':
      out.add(node.key);
      return;
    case 'list':
      for (const item of node.items) collectFields(item, out);
      return;
    case 'call':
      for (const arg of node.args) collectFields(arg, out);
      return;
    case 'negate':
    case 'plus':
    case 'not':
    case 'is-null':
      collectFields(node.operand, out);
      return;
    case 'arithmetic':
    case 'comparison':
    case 'logical':
      collectFields(node.left, out);
      collectFields(node.right, out);
      return;
    case 'conditional':
      collectFields(node.test, out);
      collectFields(node.then, out);
      collectFields(node.otherwise, out);
      return;
    default: {
      const never: never = node;
      throw new Error(`unhandled node ${String(never)}`);
    }
  }
}

/** The keys an expression reads. */
export function fieldsOf(expr: Expr): string[] {
  const out = new Set<string>();
  collectFields(expr.root, out);
  return [...out];
}

/**
 * `expr` as a function of a table row. The evaluator reads a row only through the keys the
 * expression names, so one scratch object holding just those keys (undefined reads as null,
 * like a missing key) stands in for the merged row. Throws CmError as evaluate does.
 */
export function rowEvaluator(expr: Expr): (table: RowTable, i: number) => unknown {
  const keys = fieldsOf(expr);
  // No prototype: a key such as `__proto__` is then an ordinary own property.
  const scratch = Object.create(null) as Record<string, unknown>;
  return (table, i) => {
    for (const key of keys) scratch[key] = valueAt(table, i, key);
    return evaluate(expr, scratch);
  };
}
