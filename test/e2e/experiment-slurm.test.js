// End-to-end: cme --executor=slurm against a real single-node Slurm (slurm-cluster.js): a sweep as
// one job array, its results recorded with exit codes and the failed step's log tail; --detach then
// --collect; a --slurm.* value sbatch refuses. Skipped, saying why, without Slurm.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sandbox } from './helpers.js';
import { slurmCluster } from './slurm-cluster.js';

const cluster = await slurmCluster();
const skip = cluster.available ? false : cluster.reason;
const results = (runDir) => JSON.parse(readFileSync(join(runDir, 'cm-result.json'), 'utf8'));

describe('cme --executor=slurm', () => {
  test(
    'a sweep runs as one job array; failures come back with their exit code and log tail',
    { skip },
    async () => {
      const s = sandbox();
      const r = await s.cmWith(
        cluster.env,
        'run',
        'experiment',
        'sl',
        '--explore.A=[1,2,3]',
        '--executor=slurm',
        '-j',
        '--',
        'bash',
        '-c',
        'echo "{\\"a\\": {{A}} }" > cm-output.json; echo line-{{A}}; [ {{A}} != 2 ] || exit 3',
      );
      assert.notEqual(r.code, 0, 'one step failed');
      assert.match(r.stderr, /Slurm job array \d+/);
      assert.match(r.stderr, /1 of 3 steps failed/);
      assert.match(r.stderr, /line-2/, "the failed step's log tail");
      const exp = s.local('experiment', 'sl');
      const [run] = (await import('node:fs')).readdirSync(exp).filter((n) => /^\d{4}-/.test(n));
      const rows = results(join(exp, run));
      assert.deepEqual(rows.map((x) => [x.A, x.a, x.exit_code]).sort(), [
        [1, 1, 0],
        [2, 2, 3],
        [3, 3, 0],
      ]);
    },
  );

  test('--detach returns the job id; --collect records the results later', { skip }, async () => {
    const s = sandbox();
    const d = await s.cmWith(
      cluster.env,
      'run',
      'experiment',
      'det',
      '--explore.A=[1,2]',
      '--executor=slurm',
      '--detach',
      '-j',
      '--',
      'bash',
      '-c',
      'sleep 1; echo "{\\"v\\": {{A}} }" > cm-output.json',
    );
    assert.equal(d.code, 0, d.stderr);
    assert.match(String(d.json().job_id), /^\d+$/);
    let c;
    for (let k = 0; k < 60; k++) {
      c = await s.cmWith(cluster.env, 'run', 'experiment', 'det', '--collect', '-j');
      assert.equal(c.code, 0, c.stderr);
      if (!c.json().still_running) break;
      await sleep(1000);
    }
    assert.equal(c.json().steps, 2);
    assert.deepEqual(
      results(c.json().experiment_path2)
        .map((x) => x.v)
        .sort(),
      [1, 2],
    );
    const again = await s.cmWith(cluster.env, 'run', 'experiment', 'det', '--collect', '-j');
    assert.equal(again.json().steps, 0, 'nothing is recorded twice');
  });

  test(
    "a --slurm.* value sbatch refuses comes back with sbatch's message, and nothing is recorded",
    { skip },
    async () => {
      const s = sandbox();
      const r = await s.cmWith(
        cluster.env,
        'run',
        'experiment',
        'bad',
        '--executor=slurm',
        '--slurm.partition=nope',
        '--',
        'true',
      );
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /sbatch/);
      assert.match(r.stderr, /partition/i);
    },
  );
});
