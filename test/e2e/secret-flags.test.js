// `--secret.NAME[=VALUE]` through the real CLI: the script gets the value (from the flag, or from
// CM's environment), and it reaches no stored file (cache entry, lockfile, cm-output.json,
// README-repro.md, the wrapper) and no printed text, even under a name no pattern calls secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { root, sandbox } from './helpers.js';

const catalog = join(root, 'test', 'fixtures', 'docker-catalog');

/** Files under `dir` whose bytes contain `needle`. */
function filesHolding(dir, needle) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesHolding(p, needle));
    else if (st.isFile() && readFileSync(p).includes(needle)) out.push(p);
  }
  return out;
}

test('--secret.NAME: the script gets it, no file and no output holds it', async () => {
  const s = sandbox('cm-secret-');
  assert.equal((await s.cm('import', 'repo', `--path=${catalog}`, '-s')).code, 0);
  const secret = 'hunter2hunter';
  const r = await s.cm(
    'run',
    'script',
    'dk secret',
    `--secret.MY_DB=${secret}`,
    '--lock=l.json',
    '--repro',
    '-j',
  );
  assert.equal(r.code, 0, r.stderr);
  const j = r.json();
  assert.equal(j.new_env.CM_DK_LENGTH, String(secret.length), 'the script got the value');
  assert.equal(j.new_env.CM_DK_SEEN, '***', 'masked in the printed result');
  assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
  assert.deepEqual(filesHolding(s.dir, secret), [], 'in no file of the home or the working folder');
  for (const f of ['l.json', 'cm-output.json', 'README-repro.md'])
    assert.ok(statSync(join(s.dir, f)).isFile(), f);

  const fromEnv = await s.cmWith(
    { MY_DB: 'fromenv-value' },
    'run',
    'script',
    'dk secret',
    '--secret.MY_DB',
    '--new',
    '-j',
  );
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  assert.equal(fromEnv.json().new_env.CM_DK_LENGTH, '13');
  assert.deepEqual(filesHolding(s.home, 'fromenv-value'), []);

  const missing = await s.cmWith(
    { MY_DB: undefined },
    'run',
    'script',
    'dk secret',
    '--secret.MY_DB',
    '--new',
  );
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /--secret\.MY_DB: no value given and MY_DB is not set in the environment/,
  );
});

test('an experiment refuses a valued --secret and passes --secret.NAME from the environment', async () => {
  const s = sandbox('cm-secret-exp-');
  assert.equal((await s.cm('import', 'repo', `--path=${catalog}`, '-s')).code, 0);
  const cm = join(root, 'bin', 'cm.js');
  const step = (flag) => `--cmd=node ${cm} run script "dk secret" ${flag} --new -s --quiet`;
  const valued = await s.cm('run', 'experiment', 'sec', step('--secret.MY_DB=inline-secret'));
  assert.equal(valued.code, 1);
  assert.match(
    valued.stderr,
    /gives a value to --secret\.MY_DB: an experiment records its command/,
  );
  assert.match(valued.stderr, /hint: export MY_DB and give --secret\.MY_DB alone/);
  assert.deepEqual(filesHolding(s.dir, 'inline-secret'), []);
  const r = await s.cmWith(
    { MY_DB: 'env-secret-value' },
    'run',
    'experiment',
    'sec',
    step('--secret.MY_DB'),
    '-j',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json().failed, 0, 'the step got MY_DB (without it, it fails)');
  const without = await s.cmWith(
    { MY_DB: undefined },
    'run',
    'experiment',
    'sec',
    step('--secret.MY_DB'),
  );
  assert.match(without.stderr, /1 of 1 steps failed/);
  assert.deepEqual(filesHolding(s.dir, 'env-secret-value'), [], 'in no record of the experiment');
});
