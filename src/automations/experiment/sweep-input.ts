// The input of `cm run experiment` (and rerun, replay, resume), read once into a typed record:
// the rest of the automation never reads `input['…']`.
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import { tagList } from '../../core/tags.js';
import { artifactNames, bool, str } from '../input.js';

export type Strategy = 'exhaustive' | 'random' | 'evolution';

export interface TuneInput {
  strategy: Strategy;
  budget?: number;
  seed?: number;
  /** e.g. "time:min,size:min" */
  objectives: string;
  /** The search space as written in the input file (`space:`). */
  space: unknown;
}

export interface SweepInput {
  /** `name`, `repo:` or `repo:name`; undefined: found by tags (or made with a new uid). */
  artifact?: string;
  tags: string[];
  /** The command: the words after `--` joined for bash, or --cmd as written. */
  command: { tokens: string[] } | { text: string };
  /** Dimensions as written (file and --explore.X flags), in order. */
  explore: Array<[string, unknown]>;
  env: Record<string, string>;
  repeat: number;
  parallel: number;
  failFast: boolean;
  resume: boolean;
  /** A run folder to record into (created when missing). */
  dir?: string;
  rerun: boolean;
  executor: 'local' | 'slurm';
  detach: boolean;
  collect: boolean;
  tune?: TuneInput;
  /** --slurm.* as given (executors/slurm-options.ts reads them). */
  slurm: Record<string, unknown>;
  /** replay: execution key → "<run folder>/<uid>" of the recorded result it replays. */
  replayOf?: Record<string, string>;
  /** --lock: each step's `cm run script` writes its lockfile into its step folder; --lock=FILE: also to FILE (one step). */
  lock?: true | string;
  /** --frozen=FILE: each step's `cm run script` runs frozen against it. */
  frozen?: string;
}

function positiveInt(input: Dict, key: string, dflt: number): number {
  const raw = input[key];
  if (raw === undefined || raw === null || raw === '' || raw === false) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new CmError(
      'bad-input',
      `--${key} must be a whole number of 1 or more (found ${JSON.stringify(raw)})`,
      {
        hint: `for example --${key}=3`,
      },
    );
  return n;
}

function optionalInt(input: Dict, key: string): number | undefined {
  const raw = input[key];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new CmError(
      'bad-input',
      `--${key} must be a whole number (found ${JSON.stringify(raw)})`,
    );
  return n;
}

/**
 * An experiment records its command (the run's and each step's cm-input.json, the step wrapper):
 * a secret valued in it would be stored, so `--secret.NAME=VALUE` is refused; `--secret.NAME`
 * takes NAME from the environment, which the steps inherit.
 */
function refuseValuedSecrets(command: string): void {
  const m = /--secret\.([A-Za-z_][A-Za-z0-9_]*)=/.exec(command);
  if (m)
    throw new CmError(
      'bad-input',
      `the command gives a value to --secret.${m[1]}: an experiment records its command, and the value with it`,
      {
        hint: `export ${m[1]} and give --secret.${m[1]} alone (the steps take it from the environment)`,
      },
    );
}

function commandOf(input: Dict): SweepInput['command'] {
  const tail = input['unparsed_cmd'];
  // --cmd="..." (CMX's form) is a string; an array under `cmd` is the CLI's own copy of argv.
  const cmd = typeof input['cmd'] === 'string' ? input['cmd'] : undefined;
  if (Array.isArray(tail) && tail.length > 0) {
    if (cmd !== undefined)
      throw new CmError('bad-input', 'give the command either after -- or with --cmd, not both');
    refuseValuedSecrets(tail.map(String).join(' '));
    return { tokens: tail.map(String) };
  }
  if (cmd !== undefined && cmd.trim() !== '') {
    refuseValuedSecrets(cmd);
    return { text: cmd };
  }
  if (isDict(input['exp']))
    throw new CmError(
      'bad-input',
      "mlcflow's script experiments (--exp.KEY=...) are not supported: give the script run as the command",
      { hint: 'mlce NAME --explore.KEY="[1,2,3]" -- mlcr TAGS --KEY={{KEY}}' },
    );
  throw new CmError('bad-input', 'no command to run: give it after -- (or with --cmd="...")', {
    hint: 'cme --tags=my,exp -- echo "Hello World!"',
  });
}

function hasCommand(input: Dict): boolean {
  const tail = input['unparsed_cmd'];
  return (Array.isArray(tail) && tail.length > 0) || typeof input['cmd'] === 'string';
}

function exploreOf(input: Dict): Array<[string, unknown]> {
  const e = input['explore'];
  if (e === undefined || e === null) return [];
  if (!isDict(e))
    throw new CmError(
      'bad-input',
      `explore must map variable names to values (found ${JSON.stringify(e)})`,
      {
        hint: 'explore: {BS: [1, 2, 4]} in @input.yaml, or --explore.BS="[1,2,4]"',
      },
    );
  return Object.entries(e);
}

function envOf(input: Dict): Record<string, string> {
  const e = input['env'];
  if (e === undefined || e === null) return {};
  if (!isDict(e))
    throw new CmError('bad-input', '--env must be a set of keys (use --env.KEY=VALUE)');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v !== null && typeof v === 'object')
      throw new CmError(
        'bad-input',
        `--env.${k} must be a single value (found ${JSON.stringify(v)})`,
      );
    out[k] = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v ?? '');
  }
  return out;
}

const STRATEGIES: readonly Strategy[] = ['exhaustive', 'random', 'evolution'];

function tuneOf(input: Dict): TuneInput | undefined {
  const strategy = str(input, 'strategy');
  if (strategy === undefined) return undefined;
  if (!(STRATEGIES as readonly string[]).includes(strategy))
    throw new CmError(
      'bad-input',
      `--strategy must be one of ${STRATEGIES.join(', ')} (found "${strategy}")`,
    );
  const objectives = str(input, 'objectives');
  if (objectives === undefined || objectives === '')
    throw new CmError('bad-input', `--strategy=${strategy} needs --objectives`, {
      hint: '--objectives="time:min,size:min" (result keys the command writes to cm-output.json)',
    });
  if (input['space'] === undefined)
    throw new CmError(
      'bad-input',
      `--strategy=${strategy} needs a search space: space: in the @input file`,
      {
        hint: 'space: {OPT: {choices: [-O1, -O2, -O3]}, UNROLL: {flag: -funroll-loops}}',
      },
    );
  const tune: TuneInput = { strategy: strategy as Strategy, objectives, space: input['space'] };
  const budget = optionalInt(input, 'budget');
  const seed = optionalInt(input, 'seed');
  if (budget !== undefined) tune.budget = budget;
  if (seed !== undefined) tune.seed = seed;
  return tune;
}

/** --lock (true), --lock=FILE, --frozen=FILE; --frozen without a file is refused. */
function lockOf(input: Dict): Pick<SweepInput, 'lock' | 'frozen'> {
  const out: Pick<SweepInput, 'lock' | 'frozen'> = {};
  const lock = str(input, 'lock');
  if (lock !== undefined) out.lock = lock === '' ? true : lock;
  const frozen = str(input, 'frozen');
  if (frozen === '')
    throw new CmError('bad-input', '--frozen needs a file: --frozen=FILE', {
      hint: 'a lockfile written by cm run script ... --lock=FILE (or cme ... --lock)',
    });
  if (frozen !== undefined) out.frozen = frozen;
  return out;
}

export function readSweepInput(input: Dict): SweepInput {
  const executor = str(input, 'executor') ?? 'local';
  if (executor !== 'local' && executor !== 'slurm')
    throw new CmError('bad-input', `--executor must be local or slurm (found "${executor}")`);
  const names = artifactNames(input);
  if (names.length > 1)
    throw new CmError('bad-input', `one experiment at a time (found ${names.join(', ')})`, {
      hint: 'words of the command go after --',
    });
  const out: SweepInput = {
    tags: tagList(input['tags']),
    // --collect and --resume take the command recorded with the run.
    command:
      bool(input, 'collect') || (bool(input, 'resume') && !hasCommand(input))
        ? { text: '' }
        : commandOf(input),
    explore: exploreOf(input),
    env: envOf(input),
    repeat: positiveInt(input, 'repeat', 1),
    parallel: positiveInt(input, 'parallel', 1),
    failFast: bool(input, 'fail_fast'),
    resume: bool(input, 'resume'),
    rerun: bool(input, 'rerun'),
    executor,
    detach: bool(input, 'detach'),
    collect: bool(input, 'collect'),
    slurm: isDict(input['slurm']) ? input['slurm'] : {},
    ...lockOf(input),
  };
  if (names[0] !== undefined) out.artifact = names[0];
  const dir = str(input, 'dir');
  if (dir !== undefined && dir !== '') out.dir = dir;
  const tune = tuneOf(input);
  if (tune) out.tune = tune;
  const replayOf = input['replay_of'];
  if (isDict(replayOf))
    out.replayOf = Object.fromEntries(Object.entries(replayOf).map(([k, v]) => [k, String(v)]));
  return out;
}
