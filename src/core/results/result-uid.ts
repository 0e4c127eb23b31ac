// The uid of a result that its producer recorded without one: a hash of its content, the same on
// the client (cm push) and the server (POST /api/push/results), so that a re-push finds it again.
import { Fnv } from '../hash.js';

/** Keys that say where a row is, not what it is: left out of its content hash. */
const PROVENANCE = new Set([
  '_id',
  'uid',
  'experiment_uid',
  'experiment_alias',
  'experiment_tags',
  'experiment_dir',
]);

/** JSON with object keys sorted at every level: equal content, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const parts: string[] = [];
    for (const k of keys) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The content uid of `row`: 16 hex characters, like a CM uid. `occurrence` tells equal rows apart. */
export function contentUid(row: Readonly<Record<string, unknown>>, occurrence = 0): string {
  const content: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!PROVENANCE.has(k)) content[k] = v;
  const text = canonicalJson(content);
  return new Fnv().update(occurrence === 0 ? text : `${text}#${occurrence}`).hex();
}

/**
 * `rows` with a `uid` each: a row that has a non-empty string uid keeps it; the others get their
 * content uid, the second of two equal rows in the list a different one (so both are kept).
 */
export function withResultUids(
  rows: ReadonlyArray<Record<string, unknown>>,
): Array<Record<string, unknown> & { uid: string }> {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const uid = row['uid'];
    if (typeof uid === 'string' && uid !== '')
      return row as Record<string, unknown> & { uid: string };
    const base = contentUid(row);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { ...row, uid: n === 0 ? base : contentUid(row, n) };
  });
}
