// The group/agg step of a query (gui.md §5.4): one row per group with CK's statistics columns
// `key#min/#max/#mean/#range_percent/#repeats`; the plain key carries the chosen aggregate.
import { GroupStatsAccumulator, STAT_NAMES } from '../experiment/stats.js';
import { PROVENANCE_FIELDS, FLAG_FIELDS } from './reserved-fields.js';
import type { AggName, ResultRow } from './types.js';

/** The statistics columns an aggregated row exposes, after the plain key. */
const SHOWN_STATS = ['min', 'max', 'mean', 'range_percent', 'repeats'] as const;

const STAT_FOR_AGG = {
  mean: 'mean',
  min: 'min',
  max: 'max',
  median: 'median',
  count: 'repeats',
} as const satisfies Record<AggName, (typeof STAT_NAMES)[number]>;

/** The provenance of a group: each field's value when all its rows agree, else "". */
interface GroupProvenance {
  values: string[];
}

function provenanceOf(rows: readonly ResultRow[], groupBy: readonly string[]): GroupProvenance[] {
  const index = new Map<string, GroupProvenance>();
  const order: GroupProvenance[] = [];
  const fields = PROVENANCE_FIELDS.slice(1);
  for (const row of rows) {
    const id = JSON.stringify(groupBy.map((k) => row[k] ?? null));
    let g = index.get(id);
    if (!g) {
      g = { values: fields.map((f) => row[f]) };
      index.set(id, g);
      order.push(g);
      continue;
    }
    fields.forEach((f, j) => {
      if (g.values[j] !== row[f]) g.values[j] = '';
    });
  }
  return order;
}

/**
 * One row per group of equal `groupBy` values, in first-seen order: the group keys, then for
 * every key numeric wherever it is set (as `cm show experiment --stats` decides) the aggregate
 * `agg` under the key itself and its statistics columns. `_id` is `group:` and the JSON of the
 * group values; the other provenance fields keep the value all rows of the group agree on.
 */
export function aggregateRows(
  rows: readonly ResultRow[],
  groupBy: readonly string[],
  agg: AggName,
): ResultRow[] {
  const acc = new GroupStatsAccumulator({
    groupBy: [...groupBy],
    exclude: [...PROVENANCE_FIELDS, ...FLAG_FIELDS, 'iso_datetime'],
  });
  acc.add(rows);
  const summaries = acc.result();
  const provenance = provenanceOf(rows, groupBy);
  if (provenance.length !== summaries.length) throw new Error('groups disagree');
  const isGroupKey = new Set(groupBy);
  return summaries.map((summary, g) => {
    const by = groupBy.map((k) => summary[k] ?? null);
    const out: Record<string, unknown> = { _id: `group:${JSON.stringify(by)}` };
    PROVENANCE_FIELDS.slice(1).forEach((f, j) => {
      out[f] = provenance[g]!.values[j] ?? '';
    });
    groupBy.forEach((k, j) => {
      out[k] = by[j];
    });
    const names = Object.keys(summary).filter((k) => !isGroupKey.has(k));
    // The accumulator writes every key's statistics together, `k#min` first, in STAT_NAMES order.
    for (let i = 0; i < names.length; i += STAT_NAMES.length) {
      const first = names[i]!;
      if (!first.endsWith(`#${STAT_NAMES[0]}`)) throw new Error(`unexpected column ${first}`);
      const key = first.slice(0, -STAT_NAMES[0].length - 1);
      out[key] = summary[`${key}#${STAT_FOR_AGG[agg]}`];
      for (const s of SHOWN_STATS) out[`${key}#${s}`] = summary[`${key}#${s}`];
    }
    return out as ResultRow;
  });
}
