// Adversarial: input that used to be accepted silently (or crash with a raw system error) now gets
// a CM error or a warning that names what is wrong; published metas' string booleans are honoured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cmBin, parallel, sandbox } from '../e2e/helpers.js';
import { cacheEntries, scriptSandbox } from '../e2e/script-fixtures.js';

const noInternalError = (r) => assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, r.stderr);

test('tags that are not a list are reported, not skipped silently', parallel, async () => {
  const s = sandbox('cm-sec-silent-');
  assert.equal((await s.cm('add', 'automation', 'dataset')).code, 0);
  assert.equal((await s.cm('add', 'dataset', 'd42', '--tags=x')).code, 0);
  const file = s.local('dataset', 'd42', '_cm.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), tags: 42 }));
  const find = await s.cm('find', 'dataset', '--tags=x');
  assert.match(find.stderr, /_cm\.json: tags must be a list of strings .*found 42/);
  const load = await s.cm('load', 'dataset', 'd42');
  assert.equal(load.code, 4);
  assert.match(load.stderr, /tags must be a list/);
});

test('a _base naming the artifact itself says so', parallel, async () => {
  const s = sandbox('cm-sec-silent-');
  assert.equal((await s.cm('add', 'automation', 'dataset')).code, 0);
  assert.equal((await s.cm('add', 'dataset', 'selfish', '--meta._base=selfish')).code, 0);
  const r = await s.cm('load', 'dataset', 'selfish');
  assert.equal(r.code, 8);
  assert.match(r.stderr, /_base "selfish" names the artifact itself/);
});

test('an --env key that is no variable name is refused, not dropped', parallel, async () => {
  const s = scriptSandbox({ plain: { meta: { tags: ['plain'] }, run: 'true' } });
  const r = await s.cm('run', 'script', '--tags=plain', '--env.Y$(touch INJ)=1');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--env key "Y\$\(touch INJ\)" is not an environment variable name/);
  assert.equal(existsSync(join(s.dir, 'INJ')), false);
});

test('a tampered cm-cached-state.json is not reused: the script runs again', parallel, async () => {
  const s = scriptSandbox({
    counted: {
      meta: { tags: ['counted'], cache: true, new_env_keys: ['CM_RESULT'] },
      run: 'echo run >> "$CM_TMP_CURRENT_PATH/log.txt"\necho CM_RESULT=42 > tmp-run-env.out',
    },
  });
  assert.equal((await s.run('--tags=counted')).code, 0);
  const [entry] = cacheEntries(s);
  const stateFile = join(entry.path, 'cm-cached-state.json');
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  writeFileSync(stateFile, JSON.stringify({ ...state, new_env: 'str' }));
  const r = await s.cm('run', 'script', '--tags=counted', '-j');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json().new_env.CM_RESULT, '42');
  assert.match(
    r.stderr,
    /is not reused: its cm-cached-state\.json is malformed .*new_env must be a mapping/,
  );
  assert.equal(s.log().trim().split('\n').length, 2);
});

test('output to a full disk is a CM error, not a stack trace', parallel, async () => {
  if (!existsSync('/dev/full')) return;
  const s = sandbox('cm-sec-silent-');
  const r = await new Promise((resolve) => {
    const p = spawn(process.execPath, [cmBin, 'find', 'automation', '-j'], {
      cwd: s.dir,
      env: { ...process.env, CM_REPOS: s.home },
      stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stderr }));
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /could not write the output to stdout: ENOSPC/);
  noInternalError(r);
});

test(
  "inherit_variation_tags: 'True' (a string, as published) passes the variations on",
  parallel,
  async () => {
    const s = scriptSandbox({
      parent: {
        meta: {
          tags: ['parent'],
          new_env_keys: ['CM_CHILD'],
          variations: { fast: {} },
          deps: [{ tags: 'child', inherit_variation_tags: 'True' }],
        },
      },
      child: {
        meta: {
          tags: ['child'],
          new_env_keys: ['CM_CHILD'],
          env: { CM_CHILD: 'plain' },
          variations: { fast: { env: { CM_CHILD: 'fast' } } },
        },
      },
    });
    const j = await s.runJ('--tags=parent,_fast');
    assert.equal(j.new_env.CM_CHILD, 'fast');
  },
);
