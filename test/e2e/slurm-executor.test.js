// End-to-end: the Slurm executor of experiment runs against a real single-node Slurm (started by
// slurm-cluster.js): job arrays of prepared step folders, exit codes, status files, log tails, the
// %K limit, sbatch's own refusals, cancelling and collecting. Skipped, saying why, without Slurm.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  arrayProgress,
  collectArray,
  submitArray,
  waitForArray,
} from '../../dist/automations/experiment/executors/slurm-array.js';
import { slurmOptionsOf } from '../../dist/automations/experiment/executors/slurm-options.js';
import { slurmCluster } from './slurm-cluster.js';

const cluster = await slurmCluster();
const env = cluster.available ? { ...process.env, ...cluster.env } : {};
// Each test skips by itself, so that the summary counts them as skipped.
const skip = cluster.available ? false : cluster.reason;
const runDirs = [];
after(() => runDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A run folder with one prepared step folder per command, as the experiment runner leaves it. */
function prepareRun(commands) {
  const runDir = mkdtempSync(join(tmpdir(), 'cm-slurm-run-'));
  runDirs.push(runDir);
  const steps = commands.map((command, index) => {
    const dir = join(runDir, `step-${index}`);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'cm-input.json'),
      JSON.stringify({ action: 'native-run', env: { STEP: String(index) }, command }),
    );
    writeFileSync(
      join(dir, 'tmp-native-run.sh'),
      `#!/bin/bash\nexport STEP=${index}\n${command}\n`,
      { mode: 0o755 },
    );
    return { index, dir, wrapper: 'tmp-native-run.sh' };
  });
  return { runDir, steps };
}

function squeue(jobId) {
  return execFileSync('squeue', ['--noheader', '--array', `--jobs=${jobId}`], {
    env,
    encoding: 'utf8',
  }).trim();
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

describe('slurm executor', () => {
  test(
    'runs each step in its folder and records exit codes, times and the failing log tail',
    { skip },
    async () => {
      const { runDir, steps } = prepareRun([
        `echo "step $STEP"; pwd > where.txt; echo '{"x": 1}' > cm-output.json`,
        'sleep 1.2; echo slept',
        'for i in $(seq 1 30); do echo "line $i"; done; echo oops >&2; exit 3',
      ]);
      const { jobId } = await submitArray(runDir, steps, {}, env);
      const seen = [];
      const outcomes = await waitForArray(runDir, {
        env,
        pollMs: 200,
        onProgress: (p) => seen.push(p),
      });

      assert.deepEqual(
        outcomes.map((o) => [o.index, o.exitCode]),
        [
          [0, 0],
          [1, 0],
          [2, 3],
        ],
      );
      assert.ok(outcomes[1].durationS >= 1.1, `slept 1.2 s, took ${outcomes[1].durationS}`);
      for (const o of outcomes) {
        assert.ok(Date.parse(o.startedAt) <= Date.parse(o.endedAt), JSON.stringify(o));
        const status = readJson(join(steps[o.index].dir, 'cm-step-status.json'));
        assert.deepEqual(
          [status.exit_code, status.started_at, status.ended_at, status.duration_s],
          [o.exitCode, o.startedAt, o.endedAt, o.durationS],
        );
        const left = readdirSync(steps[o.index].dir).filter((f) => f.includes('.tmp-'));
        assert.deepEqual(left, [], 'no temp status file is left behind');
      }
      assert.equal(readFileSync(join(steps[0].dir, 'where.txt'), 'utf8').trim(), steps[0].dir);
      assert.deepEqual(readJson(join(steps[0].dir, 'cm-output.json')), { x: 1 });
      assert.equal(outcomes[0].logTail, undefined);
      const tail = outcomes[2].logTail.split('\n');
      assert.equal(tail.length, 20);
      assert.deepEqual([tail[0], tail.at(-2), tail.at(-1)], ['line 12', 'line 30', 'oops']);

      assert.deepEqual(seen.at(-1), {
        pending: 0,
        running: 0,
        done: 2,
        failed: 1,
        total: 3,
        finished: true,
        pendingReasons: [],
      });
      const record = readJson(join(runDir, 'cm-slurm.json'));
      assert.equal(record.job_id, jobId);
      assert.deepEqual(
        record.steps,
        steps.map((s) => ({ index: s.index, dir: s.dir })),
      );
      assert.ok(existsSync(join(runDir, 'cm-slurm-array.sh')));
      assert.match(readFileSync(join(runDir, 'slurm-logs', `${jobId}_0.out`), 'utf8'), /step 0/);
    },
  );

  test('--slurm.max_parallel=1 is the %K of the array: one step at a time', { skip }, async () => {
    const { runDir, steps } = prepareRun(['sleep 0.6', 'sleep 0.6', 'sleep 0.6']);
    const opts = slurmOptionsOf({ slurm: { max_parallel: '1' } });
    const { jobId } = await submitArray(runDir, steps, opts, env);
    assert.ok(readJson(join(runDir, 'cm-slurm.json')).sbatch_args.includes('--array=0-2%1'));
    const job = execFileSync('scontrol', ['--oneliner', 'show', 'job', jobId], {
      env,
      encoding: 'utf8',
    });
    assert.match(job, /ArrayTaskThrottle=1\b/);

    let progress;
    for (let i = 0; i < 50; i++) {
      progress = await arrayProgress(runDir, env);
      if (progress.running === 1) break;
      await sleep(100);
    }
    assert.equal(progress.running, 1, JSON.stringify(progress));
    assert.ok(progress.pendingReasons.includes('JobArrayTaskLimit'), JSON.stringify(progress));

    const outcomes = await waitForArray(runDir, { env, pollMs: 200 });
    const byStart = [...outcomes].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    for (let i = 1; i < byStart.length; i++) {
      assert.ok(
        Date.parse(byStart[i].startedAt) >= Date.parse(byStart[i - 1].endedAt),
        `steps overlap: ${JSON.stringify(byStart)}`,
      );
    }
  });

  for (const [slurm, message] of [
    [{ partition: 'no-such-partition' }, /invalid partition specified: no-such-partition/],
    [{ time: 'soon' }, /Invalid --time specification/],
    [{ mem: 'lots' }, /Invalid --mem specification/],
  ]) {
    test(
      `a --slurm value sbatch refuses comes back with its message: ${JSON.stringify(slurm)}`,
      { skip },
      async () => {
        const { runDir, steps } = prepareRun(['true']);
        await assert.rejects(submitArray(runDir, steps, slurmOptionsOf({ slurm }), env), (e) => {
          assert.equal(e.code, 'executor-failed');
          assert.match(e.message, message);
          assert.match(e.message, /^sbatch refused the job array/);
          return true;
        });
        assert.equal(existsSync(join(runDir, 'cm-slurm.json')), false);
      },
    );
  }

  test(
    'aborting the wait cancels the array: squeue lists none of it and the error says cancelled',
    { skip },
    async () => {
      // Each step marks that its command has begun: Slurm says "running" a moment before the
      // task's processes exist, and a task cancelled in that moment is killed, not stopped.
      const begun = 'touch cm-test-begun && sleep 30';
      const { runDir, steps } = prepareRun([begun, begun, begun]);
      const { jobId } = await submitArray(runDir, steps, {}, env);
      const ac = new AbortController();
      const watch = setInterval(() => {
        if (steps.some((s) => existsSync(join(s.dir, 'cm-test-begun')))) ac.abort();
      }, 50);
      const t0 = Date.now();
      await assert.rejects(
        waitForArray(runDir, { env, pollMs: 200, signal: ac.signal }).finally(() =>
          clearInterval(watch),
        ),
        (e) => {
          assert.equal(e.code, 'executor-failed');
          assert.match(e.message, new RegExp(`job array ${jobId} was cancelled`));
          assert.equal(e.details.cancelled, true);
          return true;
        },
      );
      assert.equal(squeue(jobId), '');
      assert.ok(Date.now() - t0 < 20_000, `cancelling took ${Date.now() - t0} ms`);

      // Stopped steps are failures: a running one recorded SIGTERM, a pending one never started.
      const outcomes = await collectArray(runDir, env);
      assert.ok(Array.isArray(outcomes), JSON.stringify(outcomes));
      assert.equal(outcomes.length, 3);
      for (const o of outcomes) assert.notEqual(o.exitCode, 0, JSON.stringify(o));
      assert.ok(
        outcomes.some((o) => o.exitCode === 143),
        JSON.stringify(outcomes),
      );
    },
  );

  test(
    'collect says still running while the array runs, and gives the outcomes once it is over',
    { skip },
    async () => {
      const { runDir, steps } = prepareRun(['sleep 1; echo a', 'sleep 1; exit 5']);
      await submitArray(runDir, steps, {}, env);
      const early = await collectArray(runDir, env);
      assert.ok('stillRunning' in early, JSON.stringify(early));
      assert.equal(early.stillRunning.total, 2);
      assert.equal(early.stillRunning.finished, false);
      assert.equal(early.stillRunning.pending + early.stillRunning.running, 2);

      const waited = await waitForArray(runDir, { env, pollMs: 200 });
      assert.deepEqual(
        waited.map((o) => o.exitCode),
        [0, 5],
      );
      assert.deepEqual(await collectArray(runDir, env), waited);
    },
  );

  test(
    'a task that dies without its status file is failed with the exit code Slurm recorded',
    { skip },
    async () => {
      const { runDir, steps } = prepareRun(['echo about to vanish; kill -9 $PPID; sleep 5']);
      await submitArray(runDir, steps, {}, env);
      const [outcome] = await waitForArray(runDir, { env, pollMs: 200 });
      assert.equal(outcome.exitCode, 137, JSON.stringify(outcome));
      assert.match(outcome.note, /wrote no cm-step-status\.json; Slurm \((sacct|scontrol)\) says/);
      assert.match(outcome.logTail, /about to vanish/);
      assert.equal(existsSync(join(steps[0].dir, 'cm-step-status.json')), false);
    },
  );
});
