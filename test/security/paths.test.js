// Adversarial: nothing from an archive or a meta decides a path outside the place it belongs (a
// repo alias, an artifact name, files a meta names for removal), and names CM could never list
// again are refused with a CM error instead of a raw system error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { parallel, sandbox } from '../e2e/helpers.js';
import { scriptSandbox } from '../e2e/script-fixtures.js';

const noInternalError = (r) => {
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, r.stderr);
};

test(
  'cm unpack repo refuses an archive whose alias climbs out of the CM home',
  parallel,
  async () => {
    const s = sandbox('cm-sec-paths-');
    const target = join(s.dir, 'escaped', 'new');
    const depth = s.home.split('/').length + 3;
    const alias = `${'../'.repeat(depth)}${target.slice(1)}`;
    const file = join(s.dir, 'evil.zip');
    writeFileSync(
      file,
      zipSync({
        'cmr.yaml': strToU8(`alias: "${alias}"\nuid: 0123456789abcdef\n`),
        'dataset/x/_cm.json': strToU8('{"alias": "x"}'),
      }),
    );
    const r = await s.cm('unpack', 'repo', file);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /alias .* cannot name a folder/);
    noInternalError(r);
    assert.equal(existsSync(target), false);
    assert.equal(existsSync(join(s.dir, 'escaped')), false);
    const repos = await s.cm('search', 'repo', '--min');
    assert.doesNotMatch(repos.stdout, /escaped/);
  },
);

test(
  'a repo alias that is no folder name is refused in cmr.yaml and in a pulled URL',
  parallel,
  async () => {
    const s = sandbox('cm-sec-paths-');
    const repo = join(s.dir, 'r');
    s.write({ 'cmr.yaml': 'alias: "a/../../b"\n' }, repo);
    const r = await s.cm('import', 'repo', `--path=${repo}`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /cmr\.yaml: alias "a\/\.\.\/\.\.\/b" cannot name a folder/);
    noInternalError(r);
    const p = await s.cm('pull', 'repo', 'http://127.0.0.1:9/..');
    assert.equal(p.code, 1);
    assert.match(p.stderr, /cannot name a repo folder/);
  },
);

test('names CM could not list again are refused: hidden, too long', parallel, async () => {
  const s = sandbox('cm-sec-paths-');
  assert.equal((await s.cm('add', 'automation', 'dataset')).code, 0);
  const hidden = await s.cm('add', 'dataset', '.hidden');
  assert.equal(hidden.code, 1);
  assert.match(
    hidden.stderr,
    /invalid artifact name "\.hidden": a name starting with "\." is hidden/,
  );
  assert.equal(existsSync(s.local('dataset', '.hidden')), false);
  const long = 'n'.repeat(300);
  for (const args of [
    ['add', 'dataset', long],
    ['load', 'dataset', long],
    ['rm', 'dataset', long, '-f'],
  ]) {
    const r = await s.cm(...args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, /longer than 200 bytes|not found/);
    noInternalError(r);
  }
});

test('a meta cannot have files outside the working folder removed', parallel, async () => {
  const s = scriptSandbox({
    'clean-out': {
      meta: { tags: ['clean', 'out'], clean_output_files: ['../victim'] },
      run: 'true',
    },
    'clean-tmp': {
      meta: { tags: ['clean', 'tmp'], clean_files: ['sub/../../victim'] },
      run: 'true',
    },
  });
  const victim = join(s.dir, 'victim');
  const work = join(s.dir, 'w');
  s.write({ 'sub/x': 'x' }, work);
  for (const tags of ['clean,out', 'clean,tmp']) {
    writeFileSync(victim, 'keep me');
    const r = await s.cmIn(work, 'run', 'script', `--tags=${tags}`, '--quiet');
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /must be a path inside the working folder/);
    assert.equal(existsSync(victim), true);
  }
});
