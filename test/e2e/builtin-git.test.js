// End-to-end: get-git-repo against real local repositories over file:// (a branch, a tag, a
// commit, depth, a submodule, a patch), each combination its own cache entry.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitEnv, parallel, sandbox } from './helpers.js';

/** Bare repos lib.git and app.git (6 commits on main, branch dev, tag v1, submodule lib). */
function makeRepos(dir) {
  const work = join(dir, 'work');
  mkdirSync(join(work, 'lib'), { recursive: true });
  git(join(work, 'lib'), 'init', '-q', '-b', 'main');
  writeFileSync(join(work, 'lib', 'lib.txt'), 'lib\n');
  git(join(work, 'lib'), 'add', '.');
  git(join(work, 'lib'), 'commit', '-qm', 'lib');
  git(dir, 'clone', '-q', '--bare', join(work, 'lib'), 'lib.git');
  mkdirSync(join(work, 'app'));
  const app = join(work, 'app');
  git(app, 'init', '-q', '-b', 'main');
  const shas = [];
  for (let n = 1; n <= 6; n++) {
    writeFileSync(join(app, 'VERSION'), `${n}\n`);
    if (n === 1) git(app, 'submodule', 'add', '-q', `file://${join(dir, 'lib.git')}`, 'lib');
    git(app, 'add', '.');
    git(app, 'commit', '-qm', `v${n}`);
    shas.push(git(app, 'rev-parse', 'HEAD'));
    if (n === 2) git(app, 'tag', 'v1');
  }
  git(app, 'branch', 'dev', shas[2]);
  git(dir, 'clone', '-q', '--bare', app, 'app.git');
  writeFileSync(
    join(dir, 'fix.patch'),
    'diff --git a/VERSION b/VERSION\n--- a/VERSION\n+++ b/VERSION\n@@ -1 +1 @@\n-6\n+6-patched\n',
  );
  return { url: `file://${join(dir, 'app.git')}`, shas };
}

describe('get-git-repo', parallel, () => {
  test('branch, tag, sha, depth, submodules and patches; each its own cache entry', async () => {
    const s = sandbox('cm-git-');
    const { url, shas } = makeRepos(s.dir);
    const run = (...args) => s.cmWith(gitEnv, 'run', 'script', 'get git repo', ...args, '-j');

    const main = await run(`--url=${url}`, '--depth=2', '--patch_files=fix.patch', '--env_key=app');
    assert.equal(main.code, 0, main.stderr);
    const env = main.json().new_env;
    const path = env.CM_GIT_CHECKOUT_PATH;
    assert.match(path, /cache/);
    assert.equal(readFileSync(join(path, 'VERSION'), 'utf8'), '6-patched\n');
    assert.equal(readFileSync(join(path, 'lib', 'lib.txt'), 'utf8'), 'lib\n', 'submodule cloned');
    assert.equal(git(path, 'rev-list', '--count', 'HEAD'), '2', '--depth=2');
    assert.equal(env.CM_GIT_REPO_CURRENT_HASH, shas[5]);
    assert.equal(env.CM_GIT_REPO_APP_CHECKOUT_PATH ?? env.CM_GIT_REPO_app_CHECKOUT_PATH, path);

    const again = await run(
      `--url=${url}`,
      '--depth=2',
      '--patch_files=fix.patch',
      '--env_key=app',
    );
    assert.equal(
      again.json().new_env.CM_GIT_CHECKOUT_PATH,
      path,
      'the same inputs reuse the entry',
    );
    // An edited patch is another input: another clone.
    const patch = join(s.dir, 'fix.patch');
    writeFileSync(patch, readFileSync(patch, 'utf8').replace('+6-patched', '+6-patched-again'));
    const edited = await run(
      `--url=${url}`,
      '--depth=2',
      '--patch_files=fix.patch',
      '--env_key=app',
    );
    assert.equal(edited.code, 0, edited.stderr);
    const editedPath = edited.json().new_env.CM_GIT_CHECKOUT_PATH;
    assert.notEqual(editedPath, path);
    assert.equal(readFileSync(join(editedPath, 'VERSION'), 'utf8'), '6-patched-again\n');

    const dev = await run(`--url=${url}`, '--branch=dev', '--submodules=no');
    assert.equal(dev.code, 0, dev.stderr);
    const devPath = dev.json().new_env.CM_GIT_CHECKOUT_PATH;
    assert.notEqual(devPath, path, 'another branch, another entry');
    assert.equal(readFileSync(join(devPath, 'VERSION'), 'utf8'), '3\n');
    assert.ok(!existsSync(join(devPath, 'lib', 'lib.txt')), '--submodules=no');

    const tag = await run(`_repo.${url}`, '_tag.v1');
    assert.equal(tag.code, 0, tag.stderr);
    assert.equal(
      readFileSync(join(tag.json().new_env.CM_GIT_CHECKOUT_PATH, 'VERSION'), 'utf8'),
      '2\n',
    );

    const sha = await run(`--url=${url}`, `_sha.${shas[0]}`);
    assert.equal(sha.code, 0, sha.stderr);
    const shaEnv = sha.json().new_env;
    assert.equal(readFileSync(join(shaEnv.CM_GIT_CHECKOUT_PATH, 'VERSION'), 'utf8'), '1\n');
    assert.equal(shaEnv.CM_GIT_REPO_CURRENT_HASH, shas[0]);

    const nopatch = await run(`--url=${url}`, '--patch_files=missing.patch');
    assert.equal(nopatch.code, 16);
    assert.match(nopatch.stderr, /patch file\(s\) not found: .*missing\.patch/);
    const badDepth = await run(`--url=${url}`, '--depth=deep');
    assert.equal(badDepth.code, 1);
    assert.match(badDepth.stderr, /--depth must be a number \(found "deep"\)/);
    // Not cached (--skip_cache runs in the working folder): a "repo" folder that is not a clone
    // of ours is never removed.
    mkdirSync(join(s.dir, 'repo'));
    writeFileSync(join(s.dir, 'repo', 'mine.txt'), 'keep\n');
    const mine = await run(`--url=${url}`, '--skip_cache');
    assert.equal(mine.code, 1);
    assert.match(
      mine.stderr,
      /repo already exists and was not cloned by get-git-repo: it is left as it is/,
    );
    assert.equal(readFileSync(join(s.dir, 'repo', 'mine.txt'), 'utf8'), 'keep\n');
    const other = await run(`--url=${url}`, '--skip_cache', '--folder=app');
    assert.equal(other.code, 0, other.stderr);
    assert.equal(other.json().new_env.CM_GIT_CHECKOUT_PATH, join(s.dir, 'app'));
    const again2 = await run(`--url=${url}`, '--skip_cache', '--folder=app', '--branch=dev');
    assert.equal(again2.code, 0, again2.stderr);
    assert.equal(
      readFileSync(join(s.dir, 'app', 'VERSION'), 'utf8'),
      '3\n',
      'our own clone is replaced',
    );
    const bad = await run(`--url=file://${join(s.dir, 'nothing.git')}`);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /does not appear to be a git repository|not found/i);
  });
});
