// The fields of a result row that the playground owns rather than the producer: provenance
// (gui.md §5.2) and the flags a query adds. Kept through every projection, never derived.

/** Provenance fields every row carries; a column projection always keeps them. */
export const PROVENANCE_FIELDS = [
  '_id',
  'experiment_uid',
  'experiment_alias',
  'experiment_tags',
  'experiment_dir',
  'uid',
] as const;

/** Flags a query sets on returned rows: Pareto frontier, Pareto rank, violated constraint. */
export const FLAG_FIELDS = ['_frontier', '_rank', '_violates'] as const;

/** Fields the key catalogue reports with origin `provenance`. */
export const PROVENANCE_ORIGIN_FIELDS: ReadonlySet<string> = new Set([
  ...PROVENANCE_FIELDS,
  'iso_datetime',
  'repo',
]);

/** Names a derived metric may not overwrite. */
export const RESERVED_FIELDS: ReadonlySet<string> = new Set([...PROVENANCE_FIELDS, ...FLAG_FIELDS]);
