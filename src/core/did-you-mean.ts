// Suggest the closest known names for a misspelled one.

/** One row of the distance table, reused: did-you-mean may run over 10,000 names. */
let row = new Int32Array(64);

/** Edit distance, or limit + 1 as soon as it must exceed `limit` (most candidates are far). */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (row.length < b.length + 1) row = new Int32Array(b.length + 1);
  const prev = row;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diag + cost);
      diag = above;
      if (prev[j]! < rowMin) rowMin = prev[j]!;
    }
    if (rowMin > limit) return limit + 1;
  }
  return prev[b.length]!;
}

/**
 * Whether a name begins with the letter `q` begins with, in either case, or holds `q` in any
 * case: among thousands of names a typo rarely hits the first letter, so only those are measured.
 * (No lower-case copy of each name: at 10,000 names making them costs more than the rest.)
 */
function mayBeNear(q: string): (name: string) => boolean {
  const lower = q.charCodeAt(0);
  const upper = q.charAt(0).toUpperCase().charCodeAt(0);
  const holds = new RegExp(q.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'iu');
  return (name) => {
    const first = name.charCodeAt(0);
    return first === lower || first === upper || holds.test(name);
  };
}

/**
 * How far `l` is from `q` for suggest: the edit distance, at most 1 for a prefix and 2 for a
 * substring, or more than `limit`.
 */
function nearness(q: string, l: string, limit: number): number {
  if (l.startsWith(q) || q.startsWith(l)) return l === q ? 0 : 1;
  if (l.includes(q) || q.includes(l)) return Math.min(distance(q, l, 1), 2);
  // Each letter of q that l lacks takes an edit of its own: a bound that spares most names the
  // table (and a short command the compiling of it, which the exit waits for).
  let missing = 0;
  for (let i = 0; i < q.length; i++) if (!l.includes(q[i]!)) missing++;
  return missing > limit ? limit + 1 : distance(q, l, limit);
}

/** Up to `max` candidates close to `name` (edit distance, prefix or substring), best first. */
export function suggest(name: string, candidates: Iterable<string>, max = 3): string[] {
  const q = name.toLowerCase();
  if (q === '') return [];
  const scored: Array<[number, string]> = [];
  const list = Array.isArray(candidates) ? (candidates as string[]) : [...candidates];
  const isNear = list.length > 1000 ? mayBeNear(q) : () => true;
  // An index, not for-of: its iterator results are garbage worth avoiding at 10,000 names.
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (!isNear(c)) continue;
    const l = c.toLowerCase();
    const limit = Math.max(2, Math.floor(Math.max(q.length, l.length) / 3));
    const d = nearness(q, l, limit);
    if (d <= limit) scored.push([d, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]));
  return [...new Set(scored.map(([, c]) => c))].slice(0, max);
}

/**
 * The candidates at the smallest edit distance from `name` (ties kept, up to `max`), a candidate
 * that `name` begins counting as distance 1, one that would change entirely not at all; when
 * none is near enough, those `suggest` finds. For
 * short closed lists such as flag names, where `version_mn` must point to `version_min` and not
 * to `version`, which it merely begins with.
 */
export function nearest(name: string, candidates: Iterable<string>, max = 3): string[] {
  const q = name.toLowerCase();
  let best = Infinity;
  let out: string[] = [];
  for (const c of new Set(candidates)) {
    const l = c.toLowerCase();
    const limit = Math.max(2, Math.floor(Math.max(q.length, l.length) / 3));
    let d = distance(q, l, limit);
    if (q !== '' && l.startsWith(q)) d = Math.min(d, 1);
    // A name all of whose letters would change is no near miss (`woh` is not `-h`).
    if (d > limit || d > best || d >= l.length) continue;
    if (d < best) out = [];
    best = d;
    out.push(c);
  }
  if (out.length === 0) return suggest(name, candidates, max);
  return out.sort((a, b) => a.localeCompare(b)).slice(0, max);
}

/** "did you mean X?" or "did you mean one of X, Y?" or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const s = suggest(name, candidates);
  if (s.length === 0) return undefined;
  return s.length === 1 ? `did you mean "${s[0]}"?` : `did you mean one of: ${s.join(', ')}?`;
}
