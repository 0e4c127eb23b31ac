// End-to-end: read-only folders, as the unprivileged user `nobody` (root ignores permission bits).
// A run answered from the cache works in a read-only folder; every write there is a CM error that
// names the folder, never an internal error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cmBin } from './helpers.js';
import { scriptSandbox } from './script-fixtures.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** Why these cases cannot run here, or false. */
const skip = !isRoot
  ? 'needs root to run the CLI as nobody'
  : !existsSync('/usr/sbin/runuser')
    ? 'no runuser'
    : spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', cmBin]).status !== 0
      ? 'nobody cannot read the CLI'
      : false;

/** `cm ARGS` as nobody in `cwd` with the CM home `home`. */
function cmAsNobody(cwd, home, ...args) {
  const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, cmBin, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, CM_REPOS: home },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Everything under `dir` writable by nobody (the sandbox is made by root). */
function openUp(dir) {
  chmodSync(dir, 0o777);
  for (const d of readdirSync(dir, { withFileTypes: true }))
    if (d.isDirectory()) openUp(join(dir, d.name));
    else chmodSync(join(dir, d.name), 0o777);
}

const noInternalError = (r) => assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, r.stderr);

describe('read-only folders', { skip }, () => {
  test('a cached run needs no writable folder; a run that writes names the folder', async () => {
    const s = scriptSandbox({
      cached: {
        meta: { tags: ['t', 'cached'], cache: true },
        run: 'echo CM_X=1 > tmp-run-env.out',
      },
      plain: { meta: { tags: ['t', 'plain'] }, run: 'echo hi' },
    });
    const rw = join(s.dir, 'rw');
    const ro = join(s.dir, 'ro');
    mkdirSync(rw);
    mkdirSync(ro);
    assert.equal((await s.cm('find', 'script', 'cached')).code, 0);
    openUp(s.dir);
    chmodSync(ro, 0o555);
    // The first run (as nobody, in a writable folder) makes the cache entry in the CM home.
    const first = cmAsNobody(rw, s.home, 'run', 'script', 't cached', '--quiet');
    assert.equal(first.code, 0, first.stderr);
    const hit = cmAsNobody(ro, s.home, 'run', 'script', 't cached', '--quiet', '-j', '-s');
    assert.equal(hit.code, 0, hit.stderr);
    assert.match(JSON.parse(hit.stdout).cache_entry, /cache\/[0-9a-f]{16}$/);
    assert.deepEqual(readdirSync(ro), []);
    // A run that would write its tmp files into the folder is refused before it starts.
    const plain = cmAsNobody(ro, s.home, 'run', 'script', 't plain', '--quiet');
    assert.equal(plain.code, 1, plain.stderr);
    assert.match(
      plain.stderr,
      new RegExp(`CM error: Current directory "${ro}" is not writable - please change it`),
    );
    assert.match(plain.stderr, /hint: permission denied: the script writes its temporary files/);
    noInternalError(plain);
    // cm pack repo: the archive's folder is named, with where to write it instead.
    const pack = cmAsNobody(ro, s.home, 'pack', 'repo', 'local');
    assert.equal(pack.code, 1, pack.stderr);
    assert.match(
      pack.stderr,
      new RegExp(`CM error: cannot write the archive ${ro}/cm.zip: ${ro} is not writable`),
    );
    assert.match(pack.stderr, /hint: write it elsewhere with --file=PATH/);
    noInternalError(pack);
  });

  test('cm add into a read-only repo names the repo folder; a read-only CM home is named too', async () => {
    const s = scriptSandbox({});
    const repo = join(s.dir, 'ro-repo');
    assert.equal((await s.cm('init', 'repo', 'ro-repo', `--path=${repo}`)).code, 0);
    assert.equal((await s.cm('add', 'automation', 'dataset')).code, 0);
    openUp(s.dir);
    chmodSync(repo, 0o555);
    const add = cmAsNobody(s.dir, s.home, 'add', 'dataset', 'ro-repo:x');
    assert.equal(add.code, 1, add.stderr);
    assert.match(
      add.stderr,
      new RegExp(`cannot write the dataset artifact ${repo}/dataset/x: ${repo} is not writable`),
    );
    assert.match(add.stderr, /add the artifact to another repo \(cm add dataset local:x\)/);
    noInternalError(add);
    const home = join(s.dir, 'no-home');
    mkdirSync(home, { mode: 0o555 });
    const none = cmAsNobody(s.dir, join(home, 'CM'), 'add', 'dataset', 'y');
    assert.equal(none.code, 1, none.stderr);
    assert.match(none.stderr, new RegExp(`cannot write ${home}/CM/\\S+: ${home} is not writable`));
    assert.match(none.stderr, /set CM_REPOS to a writable folder/);
    noInternalError(none);
  });
});
