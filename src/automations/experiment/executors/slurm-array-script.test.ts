import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree } from '../../../db/file-tree.js';
import { arrayScript, shellQuote, STEP_STATUS_FILE } from './slurm-array-script.js';

/** Runs the array script as Slurm would run array task `task` (bash, SLURM_ARRAY_TASK_ID set). */
function runTask(script: string, task: string) {
  return spawnSync('bash', [script], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], SLURM_ARRAY_TASK_ID: task },
  });
}

describe('arrayScript', () => {
  test('task i runs step i in its folder and records its exit code and times, failing or not', (t) => {
    const base = mkdtempSync(join(tmpdir(), 'cm-array-script-'));
    t.after(() => rmSync(base, { recursive: true, force: true }));
    const dirs = ['plain', "it's here", 'with space'].map((d) => join(base, d));
    writeTree(base, {
      plain: { 'tmp-native-run.sh': 'pwd > where.txt\necho ran\n' },
      "it's here": { 'tmp-native-run.sh': 'echo failing >&2\nexit 3\n' },
      'with space': { 'run.sh': 'read -r line || echo "stdin is empty"\n' },
    });
    const steps = [
      { index: 4, dir: dirs[0]!, wrapper: 'tmp-native-run.sh' },
      { index: 7, dir: dirs[1]!, wrapper: 'tmp-native-run.sh' },
      { index: 9, dir: dirs[2]!, wrapper: join(dirs[2]!, 'run.sh') },
    ];
    const script = join(base, 'array.sh');
    writeFileSync(script, arrayScript(steps));

    const expected: Array<[number, string]> = [
      [0, 'ran\n'],
      [3, ''],
      [0, 'stdin is empty\n'],
    ];
    for (const [task, [code, stdout]] of expected.entries()) {
      const r = runTask(script, String(task));
      assert.deepEqual([r.status, r.stdout], [code, stdout], r.stderr);
      const status = JSON.parse(readFileSync(join(dirs[task]!, STEP_STATUS_FILE), 'utf8'));
      assert.equal(status.exit_code, code);
      assert.ok(Date.parse(status.started_at) <= Date.parse(status.ended_at), status);
      assert.ok(status.duration_s >= 0 && status.duration_s < 10, status);
      assert.deepEqual(
        readdirSync(dirs[task]!).filter((f) => f.includes('.tmp-')),
        [],
        'the status file is moved into place, no temp file is left',
      );
    }
    assert.equal(readFileSync(join(dirs[0]!, 'where.txt'), 'utf8').trim(), dirs[0]);
  });

  test('a task id without a step fails and says so', (t) => {
    const base = mkdtempSync(join(tmpdir(), 'cm-array-script-'));
    t.after(() => rmSync(base, { recursive: true, force: true }));
    const script = join(base, 'array.sh');
    writeFileSync(script, arrayScript([{ index: 0, dir: base, wrapper: 'x.sh' }]));
    const r = runTask(script, '5');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no step for array task 5/);
    assert.equal(existsSync(join(base, STEP_STATUS_FILE)), false);
  });

  test('a relative step folder is a bug of the caller', () => {
    assert.throws(() => arrayScript([{ index: 0, dir: 'rel', wrapper: 'x.sh' }]), /absolute/);
  });
});

describe('shellQuote', () => {
  for (const s of ['plain', "it's", 'a b', '$HOME `x` "q"', '']) {
    test(`bash reads ${JSON.stringify(s)} back as it was`, () => {
      const r = spawnSync('bash', ['-c', `printf %s ${shellQuote(s)}`], { encoding: 'utf8' });
      assert.equal(r.stdout, s);
    });
  }
});
