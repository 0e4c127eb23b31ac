// Why a cache entry was or was not reused, as data: a code per rejected entry and the cache
// decision of one script run (hit, miss or off, with its reason). The sentences printed on
// progress lines and by --explain are derived from the codes here; no I/O.

/** Why one existing entry cannot serve the run (its path is added by the lookup). */
export type Problem =
  | { code: 'other-variations'; has: string[]; wanted: string[] }
  | { code: 'other-version'; detail: string }
  | { code: 'other-tags'; missing: string[] }
  | { code: 'script-changed'; files: string[] }
  | { code: 'expired'; expiredAt: number }
  | { code: 'incomplete' }
  | { code: 'parent-gone'; parent: string }
  | { code: 'unreadable'; detail: string }
  | { code: 'invalid'; detail: string };

export type Rejection = Problem & { path: string };
export type RejectionCode = Problem['code'];

export type CacheStatus = 'hit' | 'miss' | 'off';
export type CacheReason =
  | 'reused'
  | 'no-entry'
  | RejectionCode
  | 'renew'
  | 'new'
  | 'skip-cache'
  | 'not-cacheable'
  | 'fake-run';

/** The cache decision of one node of the run (or plan) tree. */
export interface NodeCache {
  status: CacheStatus;
  reason: CacheReason;
  /** hit, renew: the entry reused or run again. */
  entry?: string;
  /** miss: the rejected entry that explains it (the closest to what the run wanted). */
  nearest?: string;
  /** The reason in words (what differs, which file changed ...). */
  detail?: string;
  /** other-variations: the variations of the nearest entry and the wanted ones, where they differ. */
  has?: string[];
  wanted?: string[];
  /** script-changed: the script's files that differ from when the entry was made. */
  files?: string[];
  /** How many entries of the script were looked at and rejected. */
  rejected?: number;
}

const list = (vs: readonly string[]): string => vs.map((v) => `_${v}`).join(',') || '(none)';

/** The sentence after "cache entry PATH is not reused: " on a progress line. */
export function rejectionSentence(p: Problem): string {
  switch (p.code) {
    case 'other-variations':
      return `made with variations ${list(p.has)}`;
    case 'other-version':
      return p.detail;
    case 'other-tags':
      return `it lacks tags ${p.missing.join(',')}`;
    case 'script-changed':
      return 'the script changed since it was made';
    case 'expired':
      return 'it expired';
    case 'incomplete':
      return 'its run did not complete (tagged tmp)';
    case 'parent-gone':
      return `its dependent_cached_path ${p.parent} is gone`;
    case 'unreadable':
    case 'invalid':
      return p.detail;
    default:
      return assertNever(p);
  }
}

/** Rejections worth a progress line (an entry of this very key that is dropped now). */
export function isWorthSaying(code: RejectionCode): boolean {
  return (
    code === 'script-changed' ||
    code === 'expired' ||
    code === 'unreadable' ||
    code === 'parent-gone' ||
    code === 'invalid'
  );
}

// The rejection that best explains a miss: an entry of the same key dropped for its state beats
// a killed run's leftover, which beats an entry made for another version, tags or variations.
const RANK: readonly RejectionCode[] = [
  'script-changed',
  'expired',
  'invalid',
  'unreadable',
  'parent-gone',
  'incomplete',
  'other-version',
  'other-tags',
  'other-variations',
];

const differs = (a: readonly string[], b: readonly string[]): number =>
  a.filter((x) => !b.includes(x)).length + b.filter((x) => !a.includes(x)).length;

/** The decision for a run that found no entry to reuse, from what the lookup rejected. */
export function missDecision(rejected: readonly Rejection[]): NodeCache {
  let best: Rejection | undefined;
  for (const r of rejected) {
    if (!best) best = r;
    else if (RANK.indexOf(r.code) < RANK.indexOf(best.code)) best = r;
    else if (
      r.code === 'other-variations' &&
      best.code === 'other-variations' &&
      differs(r.has, r.wanted) < differs(best.has, best.wanted)
    )
      best = r;
  }
  if (!best) return { status: 'miss', reason: 'no-entry', detail: 'no entry for this script' };
  const out: NodeCache = {
    status: 'miss',
    reason: best.code,
    nearest: best.path,
    detail: explainProblem(best),
    rejected: rejected.length,
  };
  if (best.code === 'other-variations') {
    out.has = best.has.filter((v) => !best.wanted.includes(v));
    out.wanted = best.wanted.filter((v) => !best.has.includes(v));
  }
  if (best.code === 'script-changed') out.files = best.files;
  return out;
}

/** A usable entry found: reused (or, with --renew, run again in place). */
export function foundDecision(path: string, renew: boolean): NodeCache {
  return renew
    ? {
        status: 'miss',
        reason: 'renew',
        entry: path,
        detail: `--renew: runs again in entry ${shortEntry(path)}`,
      }
    : { status: 'hit', reason: 'reused', entry: path, detail: `entry ${shortEntry(path)}` };
}

/** No lookup at all: the cache is off for this run of the script, or --new makes an entry. */
export function noLookupDecision(o: {
  isNew: boolean;
  isCacheable: boolean;
  isFakeRun: boolean;
  skipCache: boolean;
}): NodeCache {
  if (o.isNew && o.isCacheable && !o.skipCache)
    return { status: 'miss', reason: 'new', detail: '--new: another entry is made' };
  if (o.isFakeRun && o.isCacheable && !o.skipCache)
    return {
      status: 'off',
      reason: 'fake-run',
      detail: '--fake_run: the script itself does not run',
    };
  if (o.skipCache && o.isCacheable)
    return { status: 'off', reason: 'skip-cache', detail: '--skip_cache' };
  return { status: 'off', reason: 'not-cacheable', detail: 'the script meta has no cache: true' };
}

/** The uid of an entry from its path, shortened for a line. */
function shortEntry(path: string): string {
  const uid = path.split(/[\\/]/).pop() ?? path;
  return uid.length > 8 ? `${uid.slice(0, 4)}…` : uid;
}

/** What --explain says after the reason code of a rejected entry. */
export function explainProblem(r: Rejection): string {
  const e = `entry ${shortEntry(r.path)}`;
  switch (r.code) {
    case 'other-variations': {
      const has = r.has.filter((v) => !r.wanted.includes(v));
      const wanted = r.wanted.filter((v) => !r.has.includes(v));
      return `${e} has ${list(has)}, wanted ${list(wanted)}`;
    }
    case 'script-changed':
      return r.files.length
        ? `${e} was made before ${r.files.join(', ')} changed`
        : `${e} was made by another version of the script`;
    case 'incomplete':
      return `${e} was left by a failed or killed run`;
    case 'expired':
      return `${e} expired at ${new Date(r.expiredAt).toISOString()}`;
    default:
      return `${e}: ${rejectionSentence(r)}`;
  }
}

/** One --explain line: the script, the status and the reason with its detail. */
export function explainLine(name: string, c: NodeCache): string {
  return `${name}  ${c.status}  ${c.reason}${c.detail ? `: ${c.detail}` : ''}`;
}

function assertNever(x: never): never {
  throw new Error(`unexpected cache problem ${JSON.stringify(x)}`);
}
