// `cm run script … --repro`: README-repro.md beside cm-output.json and the run's lockfile, saying
// how to obtain the same run elsewhere: the repos at their commits, the frozen command, the
// platform it ran on and the scripts and versions it resolved.
import { commandLine, flagsOf } from '../../../core/shell-words.js';
import type { LockedNode, LockedRepo, Lockfile } from './lockfile.js';

/** The `cm ACTION script` command of the locked input, ending with `flag`. */
export function lockedInputCommand(lock: Lockfile, flag: string, action = 'run'): string {
  const words = ['cm', action, 'script'];
  const { artifact, tags, ...rest } = lock.input;
  if (typeof artifact === 'string') words.push(artifact);
  if (tags !== undefined) flagsOf('tags', tags, words);
  for (const [k, v] of Object.entries(rest)) if (k !== 'automation') flagsOf(k, v, words);
  words.push(flag);
  return commandLine(words);
}

/**
 * The `cm run script` command of the locked input, run frozen against `lockName` (`action`
 * docker: the same run in a container, `cm docker script` taking the flags of `cm run script`).
 */
export function frozenCommand(
  lock: Lockfile,
  lockName: string,
  action: 'run' | 'docker' = 'run',
): string {
  return lockedInputCommand(lock, `--frozen=${lockName}`, action);
}

/** `cm pull repo URL --checkout=COMMIT`: a locked repo at its commit (the URL alone without one). */
export function pullCommand(url: string, commit?: string): string {
  return commandLine(['cm', 'pull', 'repo', url, ...(commit ? [`--checkout=${commit}`] : [])]);
}

/** How to obtain repo `alias` as the lockfile has it: a Markdown list item with the command. */
export function repoStep(alias: string, r: LockedRepo): string {
  if (r.kind === 'internal')
    return `- \`${alias}\`: the scripts built into CM ${r.cm_version}: \`npm install collective-mind@${r.cm_version}\``;
  if (r.kind === 'local')
    return `- \`${alias}\`: scripts of the local repo of the machine that ran it: copy their folders into yours (the fingerprints in the lockfile tell whether they are the same)`;
  const dirty = r.dirty
    ? ' It had uncommitted changes when it was locked: the commit alone does not give those files.'
    : '';
  if (r.url && r.commit) return `- \`${alias}\`: \`${pullCommand(r.url, r.commit)}\`.${dirty}`;
  return `- \`${alias}\`: a repo registered from a folder${r.commit ? ` at commit ${r.commit}` : ''}: copy it and \`cm import repo --path=DIR\`.${dirty}`;
}

/** The rows of the "what it resolved" table (script, needed by, variations, version, repo). */
export function scriptRows(n: LockedNode, parent: string, out: string[]): void {
  if (n.script !== undefined && n.status !== 'skipped')
    out.push(
      `| ${n.script} | ${parent || '-'} | ${(n.variations ?? []).join(' ') || '-'} | ${n.version || '-'} | ${n.repo ?? '-'} |`,
    );
  for (const d of n.deps) scriptRows(d, n.script ?? parent, out);
}

/** The text of README-repro.md for a run locked in `lockName`. */
export function reproReadme(lock: Lockfile, lockName: string): string {
  const rows: string[] = [];
  scriptRows(lock.tree, '', rows);
  return [
    '# Reproducing this run',
    '',
    `Run by CM ${lock.cm_version} on ${lock.created} (${lock.platform.os} ${lock.platform.arch}, Node ${lock.platform.node}).`,
    `\`${lockName}\` locks what it resolved; a run that would resolve differently stops and says what differs.`,
    '',
    '## 1. The repos, at the commits it used',
    '',
    ...Object.entries(lock.repos).map(([alias, r]) => repoStep(alias, r)),
    '',
    '## 2. The same run',
    '',
    '```sh',
    frozenCommand(lock, lockName),
    '```',
    '',
    'The container command (the same run in a container):',
    '',
    '```sh',
    frozenCommand(lock, lockName, 'docker'),
    '```',
    '',
    '## What it resolved',
    '',
    '| script | needed by | variations | version | repo |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
