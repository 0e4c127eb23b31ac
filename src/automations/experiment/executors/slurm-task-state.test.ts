import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  exitCodeOf,
  lostOutcome,
  parseSacct,
  parseScontrol,
  parseSqueue,
  parseStepStatus,
  progressOf,
  taskStateOf,
  type StepStatus,
  type TaskState,
} from './slurm-task-state.js';

const ok: StepStatus = { exitCode: 0, startedAt: 'a', endedAt: 'b', durationS: 1 };
const bad: StepStatus = { ...ok, exitCode: 3 };

describe('parsing what Slurm says', () => {
  test('squeue rows are tasks with their state and reason; other rows are skipped', () => {
    const text = '2|PENDING|JobArrayTaskLimit\n0|RUNNING|None\nN/A|RUNNING|None\n\n';
    assert.deepEqual(parseSqueue(text), [
      { task: 2, state: 'PENDING', reason: 'JobArrayTaskLimit' },
      { task: 0, state: 'RUNNING', reason: 'None' },
    ]);
  });

  test('sacct rows keep array tasks, their first state word and their dates', () => {
    const text = [
      '12_0|COMPLETED|0:0|2026-12-06T07:23:37|2026-12-06T07:23:39',
      '12_1|CANCELLED by 0|0:15|2026-12-06T07:23:37|Unknown',
      '12_[2-5]|PENDING|0:0|Unknown|Unknown',
    ].join('\n');
    const tasks = parseSacct(text);
    assert.deepEqual(
      tasks.map((t) => [t.task, t.state, t.exitCode, t.source, t.end === undefined]),
      [
        [0, 'COMPLETED', '0:0', 'sacct', false],
        [1, 'CANCELLED', '0:15', 'sacct', true],
      ],
    );
    assert.equal(tasks[0]!.start, new Date('2026-12-06T07:23:37').toISOString());
  });

  test('scontrol one-line records give task, state, exit code and dates; a pending range is skipped', () => {
    const text = [
      'JobId=4 ArrayJobId=1 ArrayTaskId=2 ArrayTaskThrottle=2 JobName=a.sh JobState=FAILED Reason=NonZeroExitCode ExitCode=2:0 StartTime=2026-12-06T07:23:40 EndTime=2026-12-06T07:23:42 Partition=debug',
      'JobId=1 ArrayJobId=1 ArrayTaskId=3-5%2 JobState=PENDING ExitCode=0:0 StartTime=Unknown',
    ].join('\n');
    assert.deepEqual(parseScontrol(text), [
      {
        task: 2,
        state: 'FAILED',
        exitCode: '2:0',
        source: 'scontrol',
        start: new Date('2026-12-06T07:23:40').toISOString(),
        end: new Date('2026-12-06T07:23:42').toISOString(),
      },
    ]);
  });

  const codes: Array<[string, number]> = [
    ['0:0', 0],
    ['3:0', 3],
    ['0:9', 137],
    ['0:15', 143],
    ['garbage', 0],
  ];
  for (const [slurm, shell] of codes) {
    test(`Slurm's exit code ${slurm} is the shell's ${shell}`, () => {
      assert.equal(exitCodeOf(slurm), shell);
    });
  }

  test('a status file is read back; a broken one is described', () => {
    const text = '{"exit_code": 3, "started_at": "s", "ended_at": "e", "duration_s": 0.5}';
    assert.deepEqual(parseStepStatus(text), {
      exitCode: 3,
      startedAt: 's',
      endedAt: 'e',
      durationS: 0.5,
    });
    assert.match(parseStepStatus('{"exit') as string, /^is not JSON/);
    assert.match(parseStepStatus('{"exit_code": "0"}') as string, /^lacks exit_code/);
  });
});

describe('task states and progress', () => {
  const q = (state: string, reason = 'None') => ({ task: 0, state, reason });
  const cases: Array<
    [
      string,
      ReturnType<typeof parseStepStatus> | undefined,
      ReturnType<typeof q> | undefined,
      TaskState,
    ]
  > = [
    ['a status file wins over squeue', ok, q('RUNNING'), { kind: 'ended', status: ok }],
    [
      'a pending task waits with its reason',
      undefined,
      q('PENDING', 'Priority'),
      { kind: 'pending', reason: 'Priority' },
    ],
    ['a requeued task waits', undefined, q('REQUEUED'), { kind: 'pending', reason: 'None' }],
    ['a completing task still runs', undefined, q('COMPLETING'), { kind: 'running' }],
    [
      'a task gone without status is lost',
      undefined,
      undefined,
      { kind: 'lost', problem: 'wrote no cm-step-status.json' },
    ],
    [
      'a task squeue shows as over without status is lost',
      undefined,
      q('CANCELLED'),
      { kind: 'lost', problem: 'wrote no cm-step-status.json' },
    ],
    [
      'a broken status file makes a lost task',
      'is not JSON (x)',
      undefined,
      { kind: 'lost', problem: 'cm-step-status.json is not JSON (x)' },
    ],
  ];
  for (const [name, status, queued, expected] of cases) {
    test(name, () => assert.deepEqual(taskStateOf(status, queued), expected));
  }

  test('progress counts each kind; lost tasks are failed; finished when none waits or runs', () => {
    const states: TaskState[] = [
      { kind: 'pending', reason: 'JobArrayTaskLimit' },
      { kind: 'pending', reason: 'None' },
      { kind: 'running' },
      { kind: 'ended', status: ok },
      { kind: 'ended', status: bad },
      { kind: 'lost', problem: 'x' },
    ];
    assert.deepEqual(progressOf(states), {
      pending: 2,
      running: 1,
      done: 1,
      failed: 2,
      total: 6,
      finished: false,
      pendingReasons: ['JobArrayTaskLimit'],
    });
    assert.equal(progressOf(states.slice(3)).finished, true);
  });

  test('a lost task takes the exit code Slurm recorded, never 0, and says where it came from', () => {
    const killed = { task: 0, state: 'FAILED', exitCode: '0:9', source: 'scontrol' as const };
    assert.deepEqual(lostOutcome('wrote no cm-step-status.json', killed), {
      exitCode: 137,
      note: 'the task wrote no cm-step-status.json; Slurm (scontrol) says FAILED, exit code 0:9',
    });
    assert.equal(lostOutcome('p', { ...killed, state: 'CANCELLED', exitCode: '0:0' }).exitCode, 1);
    assert.deepEqual(lostOutcome('wrote no cm-step-status.json', undefined), {
      exitCode: 1,
      note: 'the task wrote no cm-step-status.json, and Slurm keeps no record of it',
    });
  });
});
