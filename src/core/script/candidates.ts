// Why find_artifact took none of the tools it found (python3, gcc ... on PATH): one message that
// lists the versions it detected against the bound asked for, and sums up those it could not run.
import type { VersionConstraints } from './versions.js';

/** What became of one candidate file that was not taken. */
export type CandidateOutcome =
  /** It ran and said its version, which the bound rules out. */
  | { kind: 'version'; file: string; version: string }
  /** Its detect_version marked it unusable (version -1: clang installed as gcc). */
  | { kind: 'incompatible'; file: string }
  /** Its version could not be found out: the check script failed (`reason`: exit status 1). */
  | { kind: 'failed'; file: string; reason: string };

/** `>= 3.8`, `<= 3.10`, `>= 3.8 and <= 3.10`, `== 3.9.1`, or '' without a bound. */
export function describeBound(c: VersionConstraints): string {
  if (c.version) return `== ${c.version}`;
  return [c.version_min && `>= ${c.version_min}`, c.version_max && `<= ${c.version_max}`]
    .filter(Boolean)
    .join(' and ');
}

/** Items grouped by a key, in the order their keys first appear. */
function groupBy<T>(items: readonly T[], key: (x: T) => string): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    groups.set(k, [...(groups.get(k) ?? []), x]);
  }
  return [...groups];
}

function folderOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i > 0 ? file.slice(0, i) : file;
}

/** Base names of files, the first few: `python3.6, python3.7, python3.8, …`. */
function someNames(files: readonly string[], max = 4): string {
  const names = files.map((f) => f.slice(folderOf(f).length + 1));
  return names.length <= max + 1 ? names.join(', ') : `${names.slice(0, max).join(', ')}, …`;
}

/**
 * The error and hint of a find_artifact that took no candidate: `no python3 satisfies >= 99:
 * found 3.11.7 (/usr/bin/python3); 7 more in /root/.pyenv/shims could not be run (exit status
 * 1: python3.6, python3.7, …)`. Candidates with one version, or failing in one folder for one
 * reason, make one clause.
 */
export function explainNoCandidate(
  fileName: string,
  bound: VersionConstraints,
  outcomes: readonly CandidateOutcome[],
): { error: string; hint: string } {
  const wanted = describeBound(bound);
  const versions = outcomes.flatMap((o) => (o.kind === 'version' ? [o] : []));
  const parts: string[] = [];
  if (versions.length)
    parts.push(
      `found ${groupBy(versions, (o) => o.version)
        .map(([v, os]) => `${v} (${os.map((o) => o.file).join(', ')})`)
        .join(', ')}`,
    );
  const more = versions.length ? ' more' : '';
  const failed = outcomes.flatMap((o) => (o.kind === 'failed' ? [o] : []));
  for (const [, os] of groupBy(failed, (o) => `${folderOf(o.file)}\n${o.reason}`))
    parts.push(
      `${os.length}${more} in ${folderOf(os[0]!.file)} could not be run (${os[0]!.reason}: ${someNames(os.map((o) => o.file))})`,
    );
  const incompatible = outcomes.filter((o) => o.kind === 'incompatible').map((o) => o.file);
  if (incompatible.length)
    parts.push(
      `${incompatible.length}${more} not usable as ${fileName} (${incompatible.join(', ')})`,
    );
  const error = `${wanted ? `no ${fileName} satisfies ${wanted}` : `no usable ${fileName}`}: ${parts.join('; ')}`;
  const hint =
    versions.length && wanted
      ? `ask for a version found (--version, --version_min, --version_max), or install a ${fileName} that satisfies ${wanted}`
      : failed.length
        ? `run ${failed[0]!.file} by hand to see why it fails`
        : `install a ${fileName} that can be used here`;
  return { error, hint };
}
