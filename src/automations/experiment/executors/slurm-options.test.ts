import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../../../core/errors.js';
import { sbatchArgs, slurmOptionsOf, type SlurmOptions } from './slurm-options.js';

describe('slurmOptionsOf', () => {
  const cases: Array<[string, unknown, SlurmOptions]> = [
    ['no --slurm flags give no options', undefined, {}],
    [
      'string values from --slurm.KEY=VALUE are taken as they are',
      { partition: 'gpu', time: '1:00:00', cpus_per_task: '4', mem: '8G', job_name: 'sweep' },
      { partition: 'gpu', time: '1:00:00', cpusPerTask: '4', mem: '8G', jobName: 'sweep' },
    ],
    [
      'numbers from an @file become strings; max_parallel becomes a number',
      { cpus_per_task: 2, max_parallel: '3' },
      { cpusPerTask: '2', maxParallel: 3 },
    ],
    [
      'dashed keys are read as underscored ones',
      { 'cpus-per-task': '2', 'max-parallel': 4 },
      { cpusPerTask: '2', maxParallel: 4 },
    ],
    ['one extra option is a list of one', { extra: '--qos=high' }, { extra: ['--qos=high'] }],
    [
      'a list of extra options is kept in order',
      { extra: ['--qos=high', '--account=me'] },
      { extra: ['--qos=high', '--account=me'] },
    ],
  ];
  for (const [name, slurm, expected] of cases) {
    test(name, () => {
      assert.deepEqual(slurmOptionsOf(slurm === undefined ? {} : { slurm }), expected);
    });
  }

  const bad: Array<[string, unknown, RegExp]> = [
    ['--slurm without a key', 'gpu', /--slurm must be given as --slurm\.KEY=VALUE/],
    ['a flag without a value', { partition: true }, /--slurm\.partition needs a value/],
    ['an empty value', { time: '' }, /--slurm\.time needs a value/],
    ['max_parallel that is not a count', { max_parallel: '0' }, /--slurm\.max_parallel must be/],
    ['max_parallel with a fraction', { max_parallel: 1.5 }, /--slurm\.max_parallel must be/],
    ['extra that is not options', { extra: [1] }, /--slurm\.extra must be sbatch options/],
    [
      'a misspelt key',
      { partiton: 'gpu' },
      /unknown flag --slurm\.partiton \(did you mean --slurm\.partition\?\)/,
    ],
  ];
  for (const [name, slurm, message] of bad) {
    test(`refuses ${name}, naming the flag`, () => {
      assert.throws(
        () => slurmOptionsOf({ slurm }),
        (e) => e instanceof CmError && e.code === 'bad-input' && message.test(e.message),
      );
    });
  }

  test('lists every problem at once', () => {
    assert.throws(
      () => slurmOptionsOf({ slurm: { mem: true, nodes: '2' } }),
      (e) =>
        e instanceof CmError &&
        /--slurm\.mem needs a value.*\nunknown flag --slurm\.nodes/.test(e.message) &&
        /--slurm\.extra/.test(e.hint ?? ''),
    );
  });
});

describe('sbatchArgs', () => {
  const job = {
    count: 3,
    runDir: '/r',
    outputPattern: '/r/slurm-logs/%A_%a.out',
    script: '/r/a.sh',
  };

  test('submits one task per step, parsable, in the run folder, with its output pattern', () => {
    assert.deepEqual(sbatchArgs({}, job), [
      '--parsable',
      '--array=0-2',
      '--job-name=cm-experiment',
      '--chdir=/r',
      '--output=/r/slurm-logs/%A_%a.out',
      '/r/a.sh',
    ]);
  });

  test('passes max_parallel as %K and the resource options before the extra ones', () => {
    const opts: SlurmOptions = {
      partition: 'p',
      time: '5',
      cpusPerTask: '2',
      mem: '1G',
      maxParallel: 2,
      jobName: 'x',
      extra: ['--qos=q'],
    };
    assert.deepEqual(sbatchArgs(opts, job), [
      '--parsable',
      '--array=0-2%2',
      '--job-name=x',
      '--chdir=/r',
      '--output=/r/slurm-logs/%A_%a.out',
      '--partition=p',
      '--time=5',
      '--cpus-per-task=2',
      '--mem=1G',
      '--qos=q',
      '/r/a.sh',
    ]);
  });

  test('an array without steps is a bug of the caller', () => {
    assert.throws(() => sbatchArgs({}, { ...job, count: 0 }), /at least one step/);
  });
});
