// What resolves differently between a locked tree and another (a fresh plan, a run, a second
// lockfile): one line per difference, named by the path of scripts that leads to it.
import type { LockedNode, LockedRepo, Lockfile } from './lockfile.js';

/** Groups of run statuses that mean the same for a lockfile (ran now, cached later: the same tree). */
function statusGroup(status: string): string {
  if (['ran', 'cached', 'will-run', 'will-reuse', 'fake-run', 'recorded'].includes(status))
    return 'selected';
  return status === 'depends' ? 'undecided' : status;
}

function nameOf(n: LockedNode): string {
  return n.script ?? `"${n.asked}"`;
}

function repoDifferences(alias: string, a: LockedRepo, b: LockedRepo): string[] {
  const out: string[] = [];
  if (a.url !== b.url) out.push(`repo ${alias}: URL ${a.url ?? '(none)'} → ${b.url ?? '(none)'}`);
  if (a.commit !== b.commit)
    out.push(`repo ${alias}: commit ${a.commit ?? '(none)'} → ${b.commit ?? '(none)'}`);
  if (b.dirty && !a.dirty) out.push(`repo ${alias}: has uncommitted changes (it had none)`);
  if (a.cm_version !== b.cm_version)
    out.push(`repo ${alias}: shipped with CM ${a.cm_version} → ${b.cm_version}`);
  return out;
}

/**
 * Where a dep's subtree is compared: deps matched by list and asked tags, in order; then those left
 * by list and script (the tags asked changed: --adr, an edited meta).
 */
function pairDeps(
  a: LockedNode[],
  b: LockedNode[],
): Array<[LockedNode | undefined, LockedNode | undefined]> {
  const list = (n: LockedNode): string => n.list ?? 'deps';
  const pairs: Array<[LockedNode | undefined, LockedNode | undefined]> = [];
  const rest = [...b];
  const take = (same: (y: LockedNode) => boolean): LockedNode | undefined => {
    const i = rest.findIndex(same);
    return i < 0 ? undefined : rest.splice(i, 1)[0];
  };
  const left: LockedNode[] = [];
  for (const x of a) {
    const y = take((y) => list(y) === list(x) && y.asked === x.asked);
    if (y) pairs.push([x, y]);
    else left.push(x);
  }
  for (const x of left)
    pairs.push([
      x,
      take((y) => list(y) === list(x) && y.script !== undefined && y.script === x.script),
    ]);
  for (const y of rest) pairs.push([undefined, y]);
  return pairs;
}

function nodeDifferences(
  a: LockedNode,
  b: LockedNode,
  at: string,
  aRepos: Record<string, LockedRepo>,
  bRepos: Record<string, LockedRepo>,
  seenRepos: Set<string>,
  out: string[],
): void {
  const where = at ? `${at} > ${nameOf(b)}` : nameOf(b);
  if (statusGroup(a.status) !== statusGroup(b.status)) {
    if (statusGroup(a.status) !== 'undecided' && statusGroup(b.status) !== 'undecided')
      out.push(`${where}: was ${a.status}, now ${b.status}`);
    return;
  }
  if (a.script !== b.script || a.uid !== b.uid) {
    out.push(
      `${where}: another script: ${a.script ?? '(none)'} (${a.uid ?? ''}) → ${b.script ?? '(none)'} (${b.uid ?? ''})`,
    );
    return;
  }
  if (a.asked !== b.asked) out.push(`${where}: asked for "${a.asked}" → "${b.asked}"`);
  if (a.repo !== b.repo) out.push(`${where}: from repo ${a.repo} → ${b.repo}`);
  else if (a.repo !== undefined && !seenRepos.has(a.repo)) {
    seenRepos.add(a.repo);
    const ra = aRepos[a.repo];
    const rb = bRepos[a.repo];
    if (ra && rb) out.push(...repoDifferences(a.repo, ra, rb));
  }
  const va = (a.variations ?? []).join(' ');
  const vb = (b.variations ?? []).join(' ');
  if (va !== vb) out.push(`${where}: variations ${va || '(none)'} → ${vb || '(none)'}`);
  // '' is a version that only running would tell: not a difference before the run.
  if (a.version && b.version && a.version !== b.version)
    out.push(`${where}: version ${a.version} → ${b.version}`);
  if (a.fingerprint !== b.fingerprint)
    out.push(
      `${where}: the script's files changed (fingerprint ${a.fingerprint} → ${b.fingerprint})`,
    );
  // Downloads compared where both sides have them (a plan that downloads nothing yet has none).
  if (a.downloads && b.downloads)
    for (const d of a.downloads) {
      const now = b.downloads.find((x) => x.file === d.file);
      if (!now) out.push(`${where}: no longer downloads ${d.file}`);
      else if (now.sha256 !== d.sha256)
        out.push(`${where}: downloaded ${d.file} differs (sha256 ${d.sha256} → ${now.sha256})`);
      else if (now.url !== d.url) out.push(`${where}: ${d.file} comes from ${d.url} → ${now.url}`);
    }
  for (const [x, y] of pairDeps(a.deps, b.deps)) {
    if (!y) out.push(`${where}: dep ${nameOf(x!)} ("${x!.asked}") is gone`);
    else if (!x) out.push(`${where}: new dep ${nameOf(y)} ("${y.asked}")`);
    else nodeDifferences(x, y, where, aRepos, bRepos, seenRepos, out);
  }
}

/** Every difference between locked `a` and `b`, in tree order (none: the same resolution). */
export function lockDifferences(a: Lockfile, b: Lockfile): string[] {
  const out: string[] = [];
  nodeDifferences(a.tree, b.tree, '', a.repos, b.repos, new Set(), out);
  return out;
}
