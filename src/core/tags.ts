// Tag queries: `a,b,-c` means a AND b AND NOT c (exact, case-sensitive), as the reference.

export interface TagQuery {
  include: string[];
  exclude: string[];
}

/** Split a `--tags` value (string "a,b" or list) into clean tags; empty pieces are dropped. */
export function tagList(value: unknown): string[] {
  if (value === undefined || value === null || value === false || value === true) return [];
  const raw = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return raw.map((t) => t.trim()).filter((t) => t !== '');
}

export function parseTagQuery(value: unknown): TagQuery {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const t of tagList(value)) {
    if (t.startsWith('-') && t.length > 1) exclude.push(t.slice(1));
    else include.push(t);
  }
  return { include, exclude };
}

export function isEmptyTagQuery(q: TagQuery): boolean {
  return q.include.length === 0 && q.exclude.length === 0;
}

export function matchesTags(tags: readonly string[], q: TagQuery): boolean {
  for (const t of q.include) if (!tags.includes(t)) return false;
  for (const t of q.exclude) if (tags.includes(t)) return false;
  return true;
}

/** Keep order, drop duplicates. */
export function uniqueTags(tags: Iterable<string>): string[] {
  return [...new Set(tags)];
}
