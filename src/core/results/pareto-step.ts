// The Pareto step of a query (gui.md §5.4, experiment.md §6.5): frontier and rank of the rows
// passing filter and constraints; rows violating a constraint take no part and get no rank.
import { CmError } from '../errors.js';
import { paretoFront } from '../experiment/pareto.js';
import type { Objective } from '../experiment/objectives.js';
import { queryError } from './query-error.js';
import type { RowTable } from './row-table.js';
import type { ParetoRequest, QueryError } from './types.js';

export interface ParetoFlags {
  /** Per table row: 1 = frontier, 2 = frontier once rank 1 is removed ...; 0 = no rank (excluded, violating). */
  rank: Int32Array;
  /** Rows lacking an objective value (or with a non-numeric one). */
  missing: number;
  error?: QueryError;
}

/** The objectives of a request as written over JSON; a malformed one throws CmError. */
function objectivesOf(request: ParetoRequest): Objective[] {
  const list: unknown = request.objectives;
  if (!Array.isArray(list) || list.length === 0)
    throw new CmError('bad-input', 'pareto: no objective given', {
      hint: 'name objectives like Result:max, Result_Power:min',
    });
  return list.map((o: unknown, i): Objective => {
    const { key, goal } = (o ?? {}) as { key?: unknown; goal?: unknown };
    if (typeof key !== 'string' || key === '')
      throw new CmError('bad-input', `pareto: objective ${i + 1} has no key`);
    if (goal !== 'min' && goal !== 'max')
      throw new CmError('bad-input', `pareto: objective "${key}" has the goal ${String(goal)}`, {
        hint: 'the goal is min (smaller is better) or max (bigger is better)',
      });
    return { key, goal };
  });
}

/**
 * The rows Pareto reads: the store's rows themselves, or, when an objective is a derived metric,
 * small objects holding just the objective values.
 */
function candidateRows(
  table: RowTable,
  rows: readonly number[],
  keys: readonly string[],
): ReadonlyArray<Record<string, unknown>> {
  const columns = keys.map((k) => table.derived.get(k));
  if (columns.every((c) => c === undefined)) return rows.map((i) => table.rows[i]!);
  const isPlain = !keys.includes('__proto__');
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let n = 0; n < rows.length; n++) {
    const i = rows[n]!;
    const row = table.rows[i]!;
    const values: Record<string, unknown> = isPlain ? {} : Object.create(null);
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j]!;
      const column = columns[j];
      values[key] = column ? column[i] : Object.hasOwn(row, key) ? row[key] : undefined;
    }
    out[n] = values;
  }
  return out;
}

/** Ranks (by table row) of `rows` that do not violate a constraint. */
export function paretoFlags(
  table: RowTable,
  rows: readonly number[],
  violates: Uint8Array | undefined,
  request: ParetoRequest,
): ParetoFlags {
  const rank = new Int32Array(table.rows.length);
  let objectives: Objective[];
  try {
    objectives = objectivesOf(request);
  } catch (e) {
    return { rank, missing: 0, error: queryError('pareto', e) };
  }
  const included = violates ? rows.filter((i) => violates[i] === 0) : rows;
  const candidates = candidateRows(
    table,
    included,
    objectives.map((o) => o.key),
  );
  const front = paretoFront(candidates, objectives);
  for (let k = 0; k < included.length; k++) rank[included[k]!] = front.rank[k]!;
  return { rank, missing: front.excluded.length };
}
