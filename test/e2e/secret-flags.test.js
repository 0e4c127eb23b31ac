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
