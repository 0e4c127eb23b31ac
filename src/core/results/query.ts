// The query engine of the results playground (POST /api/query, gui.md §5.4, §5.6): derived
// metrics, filter, constraints, group/agg, Pareto, sort, projection and paging over rows the
// store selected. Pure: the server and the browser run it alike. Expression errors are data.
import { didYouMean } from '../did-you-mean.js';
import { aggregateRows } from './aggregate.js';
import { checkConstraints, compileConstraints } from './constraints.js';
import { compileDerivations, deriveColumns } from './derived-metrics.js';
import { tableCatalogue } from './key-catalogue.js';
import { paretoFlags } from './pareto-step.js';
import { PROVENANCE_FIELDS } from './reserved-fields.js';
import { applyRowFilter, compileRowFilter } from './row-filter.js';
import { rowAt, valueAt, type RowTable } from './row-table.js';
import { sortRows } from './sort-rows.js';
import type { AggName, QueryError, QueryRequest, QueryResponse, ResultRow } from './types.js';

export interface QueryOptions {
  /** Keys of the runs' explore dicts: the catalogue reports them with origin `explored`. */
  explored?: ReadonlySet<string>;
}

const AGGS: ReadonlySet<string> = new Set<AggName>(['mean', 'min', 'max', 'median', 'count']);

/** The rows between the store's selection and the Pareto step, with what the steps found. */
interface Stage {
  table: RowTable;
  /** Indexes of the table's rows still in the answer, in order. */
  rows: number[];
  /** By table row, when violating rows are shown: 1 = violates a constraint. */
  violates?: Uint8Array;
  derived: Set<string>;
  excluded: QueryResponse['excluded'];
  errors: QueryError[];
}

function isBlank(text: unknown): boolean {
  return typeof text !== 'string' || text.trim() === '';
}

/** Derived metrics, then the filter (rows failing it are kept and counted, as CM does). */
function deriveAndFilter(req: QueryRequest, stage: Stage): void {
  if (!isBlank(req.derived)) {
    const compiled = compileDerivations(req.derived!);
    stage.errors.push(...compiled.errors);
    for (const name of compiled.names) stage.derived.add(name);
    if (compiled.derivations.length > 0) {
      const out = deriveColumns(stage.table.rows, compiled.derivations);
      stage.table = { rows: stage.table.rows, derived: out.derived };
      if (out.error) stage.errors.push(out.error);
    }
  }
  if (!isBlank(req.filter)) {
    const { expr, error } = compileRowFilter(req.filter!);
    if (error) stage.errors.push(error);
    if (expr) {
      const out = applyRowFilter(stage.table, stage.rows, expr);
      stage.excluded.filter = stage.rows.length - out.rows.length;
      stage.rows = out.rows;
      if (out.error) stage.errors.push(out.error);
    }
  }
}

/** Constraints (violators dropped, or flagged with showViolating), then group/agg. */
function constrainAndGroup(req: QueryRequest, stage: Stage): void {
  const group = req.group ?? [];
  const isGrouped = group.length > 0 || req.agg !== undefined;
  if (req.constraints && req.constraints.length > 0) {
    const { checks, errors } = compileConstraints(req.constraints);
    stage.errors.push(...errors);
    if (checks.length > 0) {
      const out = checkConstraints(stage.table, stage.rows, checks);
      if (out.error) stage.errors.push(out.error);
      stage.excluded.constraints = out.count;
      if (out.count > 0) {
        // Grouped rows never show violators: a group mixing both would be neither.
        if (req.showViolating === true && !isGrouped) stage.violates = out.violates;
        else stage.rows = stage.rows.filter((i) => out.violates[i] === 0);
      }
    }
  }
  if (!isGrouped) return;
  let agg: AggName = 'mean';
  if (req.agg !== undefined && !AGGS.has(req.agg)) {
    stage.errors.push({
      part: 'group',
      message: `group: unknown aggregate ${JSON.stringify(req.agg)}; mean is used`,
      hint: 'the aggregates are mean, min, max, median and count',
    });
  } else if (req.agg !== undefined) agg = req.agg;
  const merged = stage.rows.map((i) => rowAt(stage.table, i));
  const grouped = aggregateRows(merged, group, agg);
  stage.table = { rows: grouped, derived: new Map() };
  stage.rows = grouped.map((_, i) => i);
}

/** Errors for sort keys that no row has (the sort ignores them anyway). */
function missingSortKeys(req: QueryRequest, keys: readonly string[], rows: number): QueryError[] {
  if (!req.sort || rows === 0) return [];
  const known = new Set(keys);
  return req.sort
    .filter((s) => !known.has(s.key))
    .map((s) => {
      const hint = didYouMean(s.key, known);
      return {
        part: 'sort' as const,
        message: `sort: no row has the key "${s.key}"`,
        ...(hint ? { hint } : {}),
      };
    });
}

/** A row as returned: with its derived metrics and flags, projected onto `columns` (provenance kept). */
function outputRow(
  table: RowTable,
  i: number,
  columns: readonly string[] | undefined,
  flags: { rank: number; violates: boolean },
): ResultRow {
  const isFlagged = flags.rank > 0 || flags.violates;
  if (!columns && !isFlagged) return rowAt(table, i);
  let out: Record<string, unknown>;
  if (columns) {
    out = {};
    for (const c of columns) {
      const v = valueAt(table, i, c);
      if (v !== undefined) out[c] = v;
    }
    for (const f of PROVENANCE_FIELDS) out[f] = table.rows[i]![f];
  } else out = table.derived.size > 0 ? rowAt(table, i) : { ...table.rows[i]! };
  if (flags.rank === 1) out['_frontier'] = 1;
  if (flags.rank > 0) out['_rank'] = flags.rank;
  if (flags.violates) out['_violates'] = true;
  return out as ResultRow;
}

function nonNegativeInteger(n: unknown, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) ? Math.max(0, Math.floor(n)) : fallback;
}

/**
 * Runs a query over `rows` (the store's selection; never mutated, and returned as they are when
 * nothing is added to them). Steps, in the order of `cm show experiment`: resultUid, derived,
 * filter, constraints, group/agg, Pareto (on rows passing filter and constraints), sort,
 * paging. A bad expression is reported in `errors` and its step skipped; nothing is thrown for it.
 */
export function runQuery(
  rows: readonly ResultRow[],
  req: QueryRequest,
  options: QueryOptions = {},
): QueryResponse {
  const uid = req.selection?.resultUid;
  const selected = uid !== undefined && uid !== '' ? rows.filter((r) => r.uid === uid) : rows;
  const stage: Stage = {
    table: { rows: selected, derived: new Map() },
    rows: selected.map((_, i) => i),
    derived: new Set(),
    excluded: { filter: 0, constraints: 0, paretoMissing: 0 },
    errors: [],
  };
  deriveAndFilter(req, stage);
  constrainAndGroup(req, stage);
  const { table } = stage;
  let current = stage.rows;
  let rank: Int32Array | undefined;
  if (req.pareto) {
    const flags = paretoFlags(table, current, stage.violates, req.pareto);
    if (flags.error) stage.errors.push(flags.error);
    else rank = flags.rank;
    stage.excluded.paretoMissing = flags.missing;
    const r = rank;
    if (r && req.pareto.only === true) current = current.filter((i) => r[i] === 1);
  }

  const keys = tableCatalogue(table, current, { derived: stage.derived, ...options });
  const keyNames = keys.map((k) => k.name);
  stage.errors.push(...missingSortKeys(req, keyNames, current.length));
  const order = sortRows(table, current, req.sort ?? []);
  const offset = nonNegativeInteger(req.offset, 0);
  const limit = nonNegativeInteger(req.limit, Infinity);
  const page = order.slice(offset, offset + limit);
  const violates = stage.violates;
  return {
    rows: page.map((i) =>
      outputRow(table, i, req.columns, {
        rank: rank?.[i] ?? 0,
        violates: violates?.[i] === 1,
      }),
    ),
    keys,
    total: order.length,
    excluded: stage.excluded,
    frontier: rank ? order.filter((i) => rank[i] === 1).map((i) => table.rows[i]!._id) : [],
    errors: stage.errors,
  };
}
