// Adversarial: runs started together in one working folder never mix their tmp-* files (a result
// read from another run's tmp-run-env.out would be wrong data with exit code 0). They wait for
// each other; a lock left by a gone process, or by a process whose pid was reused, is taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../e2e/helpers.js';
import { scriptSandbox } from '../e2e/script-fixtures.js';

/** detect-os keys that change between two runs on the same host (free disk space). */
const VOLATILE = /FREE|USED/;
const stable = (env) => Object.fromEntries(Object.entries(env).filter(([k]) => !VOLATILE.test(k)));

test('8 concurrent cmr "detect os" -j in one folder all equal the serial result', async () => {
  const s = sandbox('cm-sec-work-');
  const serial = await s.bin('cmr', 'detect os', '-j', '-s');
  assert.equal(serial.code, 0, serial.stderr);
  const expected = stable(serial.json().new_env);
  assert.ok(Object.keys(expected).length > 10);
  const runs = await Promise.all(Array.from({ length: 8 }, () => s.bin('cmr', 'detect os', '-j')));
  for (const r of runs) {
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stable(r.json().new_env), expected);
  }
  assert.ok(runs.some((r) => /waiting for another cm run in .* \(pid \d+\)/.test(r.stderr)));
  assert.equal(existsSync(join(s.dir, '.cm-run.lock')), false);
  assert.equal(existsSync(join(s.dir, 'tmp-run.sh')), false);
});

test('two different scripts started together in one folder each get their own result', async () => {
  const body = (who) =>
    `sleep 0.3\necho "CM_WHO=${who}" > tmp-run-env.out\necho "CM_WHO_${who}=yes" >> tmp-run-env.out`;
  const s = scriptSandbox({
    'who-a': { meta: { tags: ['who', 'a'], new_env_keys: ['CM_WHO*'] }, run: body('A') },
    'who-b': { meta: { tags: ['who', 'b'], new_env_keys: ['CM_WHO*'] }, run: body('B') },
  });
  for (let trial = 0; trial < 2; trial++) {
    const [a, b] = await Promise.all([
      s.cm('run', 'script', '--tags=who,a', '-j', '--quiet'),
      s.cm('run', 'script', '--tags=who,b', '-j', '--quiet'),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(a.json().new_env, { CM_WHO: 'A', CM_WHO_A: 'yes' });
    assert.deepEqual(b.json().new_env, { CM_WHO: 'B', CM_WHO_B: 'yes' });
  }
});

test('a folder lock left by a gone process, or by a reused pid, is taken over', async () => {
  const s = scriptSandbox({ quick: { meta: { tags: ['quick'] }, run: 'true' } });
  const lock = join(s.dir, '.cm-run.lock');
  const gone = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => gone.on('close', r));
  // A live pid (this test process) with another start time: a later process given the same pid.
  for (const token of [`${gone.pid} x start=1`, `${process.pid} x start=1`]) {
    writeFileSync(lock, token);
    const started = Date.now();
    const r = await s.cm('run', 'script', '--tags=quick', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /waiting for another cm run/);
    assert.ok(Date.now() - started < 10_000);
    assert.equal(existsSync(lock), false);
  }
});
