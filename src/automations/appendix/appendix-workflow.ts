// The commands of an Artifact Appendix: installing CM and the repos at their commits, the frozen
// `cm run script` (and `cm docker script`) of each distinct locked run, and the experiment's `cme`
// line rebuilt from the input its run was started with.
import { isDict, type Dict } from '../../core/merge.js';
import { commandLine, flagsOf } from '../../core/shell-words.js';
import {
  frozenCommand,
  lockedInputCommand,
  pullCommand,
  repoStep,
} from '../script/lockfile/repro-readme.js';
import { distinctRuns, reposOf, type AppendixSources } from './appendix-sources.js';
import type { ExperimentFacts } from './experiment-facts.js';

/** Frozen commands listed at most; the rest are counted (each lockfile holds its own). */
const MAX_COMMANDS = 10;

/** Keys of a recorded cme input that steer CM itself, or its run folder, not the experiment. */
const NOT_REPLAYED = new Set([
  'action',
  'automation',
  'artifact',
  'artifacts',
  'unparsed_cmd',
  'cmd',
  'lock',
  'frozen',
  'j',
  'json',
  's',
  'silent',
  'quiet',
  'v',
  'verbose',
  'out',
  'dir',
  'rerun',
  'resume',
  'collect',
  'detach',
  'replay_of',
  'explore',
]);

const sh = (lines: string[]): string[] => ['```sh', ...lines, '```'];

/** A.4: CM itself, then each repo at its commit (or how to get one that has no remote). */
export function installationLines(s: AppendixSources): string[] {
  const versions = new Set(s.runs.map((r) => r.lock.cm_version));
  const cm = versions.size === 1 ? [...versions][0]! : s.cmVersion;
  const repos = reposOf(s.runs);
  const pulls = repos
    .filter(([, r]) => r.kind === 'registered' && r.url && r.commit)
    .map(([, r]) => pullCommand(r.url!, r.commit));
  // The built-in scripts come with CM itself (the npm line).
  const others = repos
    .filter(([, r]) => r.kind !== 'internal' && !(r.kind === 'registered' && r.url && r.commit))
    .map(([alias, r]) => repoStep(alias, r));
  return [
    `Node.js ${s.runs[0]?.lock.platform.node ?? '20'} or newer, then CM and the repos at the commits the runs used:`,
    '',
    ...sh([commandLine(['npm', 'install', '-g', `collective-mind@${cm}`]), ...pulls]),
    ...(others.length > 0 ? ['', ...others] : []),
  ];
}

/** The cme command of a recorded run (`lockFlag`: --lock, or --frozen=FILE); undefined when flags cannot say it. */
export function cmeCommand(e: ExperimentFacts, lockFlag: string): string | undefined {
  const input: Dict = e.input;
  if (input['space'] !== undefined) return undefined;
  const words = ['cme', typeof input['artifact'] === 'string' ? input['artifact'] : e.alias];
  if (isDict(input['explore']))
    for (const [k, v] of Object.entries(input['explore']))
      words.push(`--explore.${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  for (const [k, v] of Object.entries(input))
    if (!NOT_REPLAYED.has(k) && !k.startsWith('parsed_')) flagsOf(k, v, words);
  words.push(lockFlag);
  if (typeof input['cmd'] === 'string') words.push(`--cmd=${input['cmd']}`);
  else if (Array.isArray(input['unparsed_cmd']))
    words.push('--', ...input['unparsed_cmd'].map(String));
  return commandLine(words);
}

function experimentLines(s: AppendixSources, e: ExperimentFacts): string[] {
  const distinct = distinctRuns(s.runs);
  const lockFlag = distinct.length === 1 ? `--frozen=${distinct[0]!.run.shown}` : '--lock';
  const cme = cmeCommand(e, lockFlag);
  const replay = commandLine(['cm', 'replay', 'experiment', e.alias, `--dir=${e.runName}`]);
  const out = [
    `The experiment \`${e.alias}\` (run \`${e.runName}\`), from its folder (the lockfiles below are named relative to it):`,
    '',
    ...sh([
      `cd "$(cm find experiment ${e.alias})"`,
      ...(cme ? [cme] : [`# its search space is in ${e.runName}/cm-input.json: replay it`]),
      replay,
    ]),
    '',
    `\`cm replay experiment\` runs the recorded input again and compares the new results with the recorded ones (numbers within 8 %).`,
  ];
  if (distinct.length > 1)
    out.push(
      `Its steps resolved ${distinct.length} different trees (the explored values select other variations or versions): \`--lock\` records each step's again, and each step can be run frozen on its own (below).`,
    );
  return out;
}

/** A.5: the experiment's command, and the frozen run (and container run) of each distinct tree. */
export function workflowLines(s: AppendixSources): string[] {
  const out: string[] = [];
  if (s.experiment) out.push(...experimentLines(s, s.experiment), '');
  if (s.planned) {
    out.push(
      'The script run, recording its lockfile and outputs (`cm-lock.json`, `cm-output.json`, `README-repro.md`):',
      '',
      ...sh(s.runs.map((r) => lockedInputCommand(r.lock, '--repro'))),
    );
    return out;
  }
  const distinct = distinctRuns(s.runs);
  if (distinct.length === 0) {
    out.push(
      'No step recorded a lockfile (its command ran no `cm run script`, or ran without `cme --lock`).',
    );
    return out;
  }
  const what = s.experiment
    ? distinct.length === 1
      ? "A step's `cm run script` on its own"
      : `The ${distinct.length} distinct \`cm run script\` runs of its steps, each on its own`
    : distinct.length === 1
      ? 'The locked run'
      : `The ${distinct.length} distinct locked runs`;
  out.push(
    `${what}, exactly as locked (a run that would resolve differently stops before anything runs and lists each difference):`,
    '',
  );
  const shown = distinct.slice(0, MAX_COMMANDS);
  out.push(...sh(shown.map((d) => frozenCommand(d.run.lock, d.run.shown))));
  if (distinct.length > MAX_COMMANDS)
    out.push(
      '',
      `… and ${distinct.length - MAX_COMMANDS} more (each step folder holds its lockfile).`,
    );
  out.push(
    '',
    'The container command (the same runs in a container):',
    '',
    ...sh(shown.map((d) => frozenCommand(d.run.lock, d.run.shown, 'docker'))),
  );
  return out;
}
