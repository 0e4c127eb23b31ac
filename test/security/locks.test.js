// Adversarial: locks are judged by pid and process start time, so a lock whose pid now belongs to
// another process (pids are reused; in a container cm is often pid 1 every time) is stale; and
// several `cm pull repo` of one URL at once clone it once and all succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, parallel, sandbox, writeTree } from '../e2e/helpers.js';
import { cacheEntries, scriptSandbox } from '../e2e/script-fixtures.js';

/** A token as a lock holder writes it, for a live pid that did not start at time 1. */
const reusedPid = () => `${process.pid} 0-old start=1`;

test('the index lock of a reused pid does not make a command wait', parallel, async () => {
  const s = sandbox('cm-sec-locks-');
  mkdirSync(join(s.home, '.locks'), { recursive: true });
  writeFileSync(join(s.home, '.locks', 'index.lock'), reusedPid());
  const started = Date.now();
  const r = await s.cm('find', 'script', 'detect-os');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
});

test(
  'a cache key lock of a reused pid: cmr runs, cm prune cache removes the failed entry',
  parallel,
  async () => {
    const s = scriptSandbox({ cached: { meta: { tags: ['cached'], cache: true }, run: 'true' } });
    assert.equal((await s.run('--tags=cached')).code, 0);
    const [entry] = cacheEntries(s);
    const lock = join(s.local('cache'), '.locks', `${entry.meta.cache_key}.lock`);
    // A run killed long ago left its entry (tagged tmp) and its lock, and its pid is in use again.
    writeFileSync(lock, reusedPid());
    const started = Date.now();
    const again = await s.run('--tags=cached', '--new');
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /waiting for another cm process/);
    assert.ok(Date.now() - started < 10_000);
    const meta = join(entry.path, '_cm.json');
    const m = JSON.parse(readFileSync(meta, 'utf8'));
    writeFileSync(meta, JSON.stringify({ ...m, tags: ['tmp', ...m.tags] }));
    writeFileSync(lock, reusedPid());
    const prune = await s.cm('prune', 'cache', '-j');
    assert.equal(prune.code, 0, prune.stderr);
    assert.equal(existsSync(entry.path), false, prune.stdout);
  },
);

test('4 concurrent cm pull repo of one URL: one clones, all succeed, one repo registered', async () => {
  const s = sandbox('cm-sec-pull-');
  const src = join(s.dir, 'src');
  writeTree(src, {
    'cmr.yaml': 'alias: org@shared\nuid: "5555555555555555"\ngit: true\n',
    thing: { t1: { '_cm.json': '{"alias": "t1", "uid": "6666666666666666", "tags": ["t"]}' } },
  });
  git(src, 'init', '-q', '-b', 'main');
  git(src, 'add', '-A');
  git(src, 'commit', '-qm', 'init');
  git(s.dir, 'clone', '-q', '--bare', src, join(s.dir, 'shared.git'));
  const url = `file://${join(s.dir, 'shared.git')}`;
  for (let trial = 0; trial < 2; trial++) {
    const home = join(s.dir, `home${trial}`);
    const env = { CM_REPOS: home, GIT_CONFIG_NOSYSTEM: '1' };
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => s.cmWith(env, 'pull', 'repo', url)),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const repos = JSON.parse(readFileSync(join(home, 'repos.json'), 'utf8'));
    assert.equal(repos.filter((p) => p.endsWith('shared')).length, 1, JSON.stringify(repos));
    const folders = readdirSync(join(home, 'repos')).filter((n) => n !== 'local');
    assert.deepEqual(
      folders.filter((n) => !n.startsWith('.')),
      [`${s.dir.slice(1).split('/').join('@')}@shared`],
    );
    const where = await s.cmWith(env, 'where', 'repo', 'org@shared');
    assert.equal(where.code, 0, where.stderr);
    assert.ok(existsSync(join(where.stdout.trim(), '.git')), where.stdout);
  }
});
