// Adversarial: names from a repo (folders of repos and scripts, the working folder) never reach a
// shell unquoted. Each name holds $(…), backticks, quotes, spaces, a newline and ";"; a command
// hidden in one would leave an INJ* file behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../e2e/helpers.js';

const EVIL = 'x $(touch INJ1) `touch INJ2` \'q"; touch INJ3\nend';
// Artifact folders with control characters are not indexed (no name could select them).
const EVIL_SCRIPT = EVIL.replace('\n', ' ');

/** INJ* files anywhere under `dir` (three levels deep is enough for these trees). */
function injections(dir, depth = 0) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('INJ') || e.name === 'pwned') out.push(join(dir, e.name));
    if (e.isDirectory() && depth < 6) out.push(...injections(join(dir, e.name), depth + 1));
  }
  return out;
}

test('a repo, a script and a working folder named with shell syntax run as plain names', async () => {
  const s = sandbox('cm-sec-names-');
  const repo = join(s.dir, `repo ${EVIL}`);
  const scriptDir = join(repo, 'script', EVIL_SCRIPT);
  s.write(
    {
      'cmr.yaml': 'alias: evil-names\nuid: 0123456789abcdef\n',
      [`script/${EVIL_SCRIPT}/_cm.yaml`]: JSON.stringify({
        alias: 'evil-script',
        uid: 'fedcba9876543210',
        automation_alias: 'script',
        automation_uid: '5b4e0237da074764',
        tags: ['evil', 'names'],
        cache: false,
      }),
      [`script/${EVIL_SCRIPT}/run.sh`]:
        '#!/bin/bash\nprintf "%s" "$CM_TMP_CURRENT_SCRIPT_PATH" > seen-script-path.txt\n' +
        'printf "%s" "$PWD" > seen-work-path.txt\n',
    },
    repo,
  );
  assert.equal((await s.cm('import', 'repo', `--path=${repo}`)).code, 0);
  const work = join(s.dir, `work ${EVIL}`);
  mkdirSync(work);
  const r = await s.cmIn(work, 'run', 'script', '--tags=evil,names', '--quiet', '--dirty');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(injections(s.dir), []);
  assert.equal(readFileSync(join(work, 'seen-script-path.txt'), 'utf8'), scriptDir);
  assert.equal(readFileSync(join(work, 'seen-work-path.txt'), 'utf8'), work);
  // The wrapper kept (--dirty) sources the script by a quoted path.
  assert.ok(existsSync(join(work, 'tmp-run.sh')));
});

test('cm add script with $(…) and backticks in its name, then run: nothing is executed', async () => {
  const s = sandbox('cm-sec-names-');
  for (const name of ['$(id>pwned)', '`id>pwned`']) {
    const add = await s.cm('add', 'script', name, '--tags=inj');
    assert.equal(add.code, 0, add.stderr);
    const run = await s.cm('run', 'script', '--tags=inj', '--quiet');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(injections(s.dir), []);
    assert.equal((await s.cm('rm', 'script', name, '-f')).code, 0);
  }
});
