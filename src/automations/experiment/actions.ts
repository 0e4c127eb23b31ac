// The `experiment` automation (uid a0a2d123ef064bcb): run any command over a parameter space
// (cme), repeat, record results with provenance, replay them, and compare them (show, diff).
// Generic find/rm/mv/add work on experiments as on any artifact.
import type { FlagRow } from '../../core/flags.js';
import type { ActionTable } from '../action.js';

const SELECT_FLAGS: readonly FlagRow[] = [
  ['--tags=a,b', 'the experiment artifact by tags (unless named)'],
];

const RUN_FLAGS: readonly FlagRow[] = [
  ...SELECT_FLAGS,
  ['--explore.VAR=VALUES', 'a dimension: [1,2,4], range(1,5), 1:9:4, [2**i for i in range(6)]'],
  ['--env.KEY=VALUE', 'env exported to every step'],
  ['--cmd="COMMAND"', 'the command (instead of the words after --)'],
  ['--repeat=N', 'run each point N times'],
  ['--parallel=N', 'run N steps at once, each in its own step folder'],
  ['--fail-fast', 'stop at the first failing step (default: record it and go on)'],
  ['--resume', 'finish the newest run (or --dir): only steps without a result run'],
  ['--dir=NAME', 'record into this run folder of the experiment'],
  ['--rerun', 'add steps to an existing recorded run (--dir to choose it)'],
  ['--executor=local|slurm', 'where the steps run (slurm: one job array)'],
  [
    '--slurm.partition=P / --slurm.time=T / --slurm.cpus_per_task=N / --slurm.mem=M',
    'sbatch options',
  ],
  ['--slurm.max_parallel=K', 'at most K array tasks at once (--array=...%K)'],
  ['--detach', 'slurm: submit, print the job id and return'],
  ['--collect', 'slurm: gather the results of a detached run'],
  ['--strategy=exhaustive|random|evolution', 'autotune over space: of the @input file'],
  ['--budget=N', 'autotuning: at most N points'],
  ['--seed=S', 'autotuning: the seed (same seed, same points)'],
  ['--objectives="time:min,size:min"', 'autotuning: result keys to optimise'],
  ['--lock', "each step's cm run script writes its lockfile into the step folder (cm-lock.json)"],
  ['--lock=FILE', 'also write it to FILE (a run of one step)'],
  ['--frozen=FILE', "each step's cm run script runs exactly the tree FILE locks"],
  ['--exp.KEY=V', "mlcflow's script experiments: not supported (the message says what to type)"],
];

export const actions: ActionTable = {
  run: {
    summary: 'run a command over a parameter space and record its results (also: cme)',
    usage: 'cme [NAME|repo:] [--tags=...] [@input.yaml] [--flags] -- COMMAND {{VAR}} ...',
    flags: RUN_FLAGS,
    async run(input, ctx, automation) {
      const { runExperiment } = await import('./sweep.js');
      return runExperiment(input, ctx, automation);
    },
  },
  rerun: {
    summary: 'run an experiment again into an existing run folder, appending results',
    usage: 'cm rerun experiment NAME [--dir=RUN] [--flags] -- COMMAND',
    flags: RUN_FLAGS,
    async run(input, ctx, automation) {
      const { runExperiment } = await import('./sweep.js');
      return runExperiment({ ...input, rerun: true }, ctx, automation);
    },
  },
  replay: {
    summary:
      'run a recorded run (or one step) again and compare the new results with the recorded ones',
    usage:
      'cm replay experiment [NAME] [--tags=...] [--dir=RUN] [--uid=UID [--step-only]] [--tolerance=8%]',
    flags: [
      ...SELECT_FLAGS,
      ['--dir=RUN', 'the run folder to replay'],
      ['--uid=UID', 'the run holding this result (any run folder)'],
      ['--step-only', 'with --uid: only that step'],
      ['--tolerance=0.08', 'numbers differing by more than this are flagged (8% by default)'],
    ],
    async run(input, ctx, automation) {
      const { replayExperiment } = await import('./replay.js');
      return replayExperiment(input, ctx, automation);
    },
  },
  show: {
    summary:
      'list experiments, their runs and a table of their results (filters, stats, Pareto front)',
    usage: 'cm show experiment [NAME] [--tags=...] [--dir=RUN] [--csv|--md|--json] [--flags]',
    flags: [
      ...SELECT_FLAGS,
      ['--dir=RUN', 'only this run folder'],
      ['--csv, --md', 'the table as CSV / Markdown (-j: rows as JSON)'],
      ['--all', 'every column in the text table (provenance, command, time)'],
      ['--only-changed', 'hide columns with the same value in every row'],
      ['--keep=REGEX, --drop=REGEX', 'columns to keep / drop'],
      ['--sort-by=KEY, --sort-order=asc|desc', 'sort the rows'],
      ['--where=EXPR', "rows where EXPR holds: latency < 10 && model == 'resnet50'"],
      ['--derive="eff = a / b"', 'a derived column (several: repeat the flag)'],
      ['--constraint=EXPR', 'rows that break it are left out (several: repeat the flag)'],
      [
        '--stats, --group-by=A,B',
        'per group: #min #max #mean #median #stdev #ci95 #range #range_percent #repeats',
      ],
      ['--pareto="time:min,acc:max"', 'only the Pareto front (ties kept)'],
      ['--ck-margins="time:min:1.10,acc:max"', "CK's frontier with ratio margins"],
    ],
    async run(input, ctx, automation) {
      const { showExperiments } = await import('./show.js');
      return showExperiments(input, ctx, automation);
    },
  },
  diff: {
    summary: 'compare two recorded results: the keys that differ, with the change of numbers',
    usage: 'cm diff experiment [NAME] --uid=UID1 --uid=UID2 [--all]',
    flags: [
      ...SELECT_FLAGS,
      ['--uid=UID', 'a result (give it twice)'],
      ['--all', 'every key, not only those that differ'],
    ],
    async run(input, ctx, automation) {
      const { diffExperiment } = await import('./diff.js');
      return diffExperiment(input, ctx, automation);
    },
  },
  push: {
    summary: 'upload an experiment (meta, run inputs, results) to a team server (cm serve)',
    usage: 'cm push experiment NAME [--server=URL] [--token=T]',
    flags: [
      ...SELECT_FLAGS,
      ['--server=URL', 'the team server (default: CM_SERVER_URL)'],
      ['--token=T', 'a token with write scope (default: CM_SERVER_TOKEN)'],
    ],
    async run(input, ctx, automation) {
      const { pushExperiment } = await import('./push.js');
      return pushExperiment(input, ctx, automation);
    },
  },
  pull: {
    summary: "bring a team server's experiment into the local repo (results merged by uid)",
    usage: 'cm pull experiment NAME [--server=URL] [--token=T] [--password=P]',
    flags: [
      ['--server=URL', 'the team server (default: CM_SERVER_URL)'],
      ['--token=T', 'a token with read scope (default: CM_SERVER_TOKEN)'],
      ['--password=P', 'the password of a protected experiment'],
    ],
    async run(input, ctx, automation) {
      const { pullExperiment } = await import('./pull.js');
      return pullExperiment(input, ctx, automation);
    },
  },
  test: {
    summary: 'print the input (debugging)',
    run(input, ctx) {
      ctx.emit({ type: 'output', text: JSON.stringify(input, null, 2) });
      return { return: 0, input };
    },
  },
};
