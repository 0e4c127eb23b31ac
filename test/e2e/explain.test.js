// An explained cache: each node of the run tree says whether the cache was used and why (a reason
// code), --explain prints it per node, and `cm show cache --why` says it for a plan, running nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listDir, parallel } from './helpers.js';
import { cacheEntries, logLines, scriptSandbox } from './script-fixtures.js';

/** get-greeting (cached; _en by default or _fr; versions 1.0 and 2.0) and app (not cached) using it. */
function greetings() {
  const s = scriptSandbox({});
  const log = join(s.dir, 'log.txt');
  s.writeScripts({
    'get-greeting': {
      meta: {
        tags: ['get', 'greeting'],
        cache: true,
        new_env_keys: ['GREETING'],
        variations: {
          en: { group: 'lang', default: true, env: { G_LANG: 'en' } },
          fr: { group: 'lang', env: { G_LANG: 'fr' } },
        },
        versions: { '1.0': {}, '2.0': {} },
      },
      run: [
        `echo "greet $G_LANG" >> "${log}"`,
        'if [ "$G_FAIL" = yes ]; then exit 3; fi',
        'echo "GREETING=hello-$G_LANG" > tmp-run-env.out',
      ].join('\n'),
    },
    app: {
      meta: { tags: ['app'], cache: false, deps: [{ tags: 'get,greeting' }] },
      run: `echo app >> "${log}"`,
    },
  });
  return s;
}

/** The cache decision of the root of a -j result. */
const cacheOf = (r) => r.tree.cache;

describe('explained cache', parallel, () => {
  test('each node of the -j tree carries cache {status, reason}: not-cacheable, no-entry, then a hit', async () => {
    const s = greetings();
    const a = await s.runJ('app');
    assert.deepEqual(
      { status: a.tree.cache.status, reason: a.tree.cache.reason },
      { status: 'off', reason: 'not-cacheable' },
    );
    const dep = a.tree.deps[0];
    assert.equal(dep.script, 'get-greeting');
    assert.deepEqual(
      { status: dep.cache.status, reason: dep.cache.reason },
      { status: 'miss', reason: 'no-entry' },
    );
    const b = await s.runJ('app');
    const hit = b.tree.deps[0].cache;
    assert.equal(hit.status, 'hit');
    assert.equal(hit.reason, 'reused');
    assert.equal(hit.entry, cacheEntries(s)[0].path);
    assert.deepEqual(logLines(s), ['greet en', 'app', 'app']);
    s.cleanup();
  });

  test('other-variations names the nearest entry and what differs (_en made, _fr wanted)', async () => {
    const s = greetings();
    const en = await s.runJ('get greeting');
    const fr = await s.runJ('get greeting _fr');
    const c = cacheOf(fr);
    assert.equal(c.status, 'miss');
    assert.equal(c.reason, 'other-variations');
    assert.equal(c.nearest, en.cache_entry);
    assert.deepEqual([c.has, c.wanted], [['en'], ['fr']]);
    assert.match(c.detail, /^entry [0-9a-f]{4}… has _en, wanted _fr$/);
    s.cleanup();
  });

  test('other-version: an entry made for version 1.0 does not serve --version=2.0', async () => {
    const s = greetings();
    await s.runJ('get greeting', '--version=1.0');
    const c = cacheOf(await s.runJ('get greeting', '--version=2.0'));
    assert.equal(c.reason, 'other-version');
    assert.match(c.detail, /not made for version 2\.0/);
    assert.equal(cacheOf(await s.runJ('get greeting', '--version=1.0')).status, 'hit');
    s.cleanup();
  });

  test('script-changed names the file that changed', async () => {
    const s = greetings();
    const a = await s.runJ('get greeting');
    appendFileSync(s.local('script', 'get-greeting', 'run.sh'), '# changed\n');
    const c = cacheOf(await s.runJ('get greeting'));
    assert.equal(c.reason, 'script-changed');
    assert.equal(c.nearest, a.cache_entry);
    assert.deepEqual(c.files, ['run.sh']);
    assert.match(c.detail, /run\.sh changed/);
    s.cleanup();
  });

  test('expired: an entry made with --cache_expiration=1s is not reused after a second', async () => {
    const s = greetings();
    await s.runJ('get greeting', '--cache_expiration=1s');
    const expires = cacheEntries(s)[0].meta.cache_expires;
    await sleep(Math.max(0, expires - Date.now() + 50));
    const c = cacheOf(await s.runJ('get greeting'));
    assert.equal(c.status, 'miss');
    assert.equal(c.reason, 'expired');
    s.cleanup();
  });

  test('incomplete: the entry left by a failing run is named by the plan and by the next run', async () => {
    const s = greetings();
    const failed = await s.run('get greeting', '--env.G_FAIL=yes');
    assert.notEqual(failed.code, 0);
    const left = cacheEntries(s)[0].path;
    const plan = cacheOf(await s.runJ('get greeting', '--dry-run'));
    assert.deepEqual([plan.status, plan.reason, plan.nearest], ['miss', 'incomplete', left]);
    assert.match(plan.detail, /left by a failed or killed run/);
    const again = cacheOf(await s.runJ('get greeting'));
    assert.deepEqual([again.reason, again.nearest], ['incomplete', left]);
    assert.equal(cacheOf(await s.runJ('get greeting')).status, 'hit');
    s.cleanup();
  });

  test('renew and skip-cache are said as such; --skip_cache is off, --renew a miss on the entry', async () => {
    const s = greetings();
    const a = await s.runJ('get greeting');
    const renew = cacheOf(await s.runJ('get greeting', '--renew'));
    assert.deepEqual([renew.status, renew.reason, renew.entry], ['miss', 'renew', a.cache_entry]);
    const skip = cacheOf(await s.runJ('get greeting', '--skip_cache'));
    assert.deepEqual([skip.status, skip.reason], ['off', 'skip-cache']);
    s.cleanup();
  });

  test('--explain prints one line per node after the run, and for the plan with --dry-run', async () => {
    const s = greetings();
    const first = await s.cm('run', 'script', 'app', '--explain', '--quiet', '-s');
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.stdout.trim().split('\n'), [
      'app  off  not-cacheable: the script meta has no cache: true',
      '  get-greeting  miss  no-entry: no entry for this script',
    ]);
    const uid = cacheEntries(s)[0].uid;
    const plan = await s.cm('run', 'script', 'app', '--dry-run', '--explain');
    assert.equal(plan.code, 0, plan.stderr);
    const lines = plan.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(-2), [
      'app  off  not-cacheable: the script meta has no cache: true',
      `  get-greeting  hit  reused: entry ${uid.slice(0, 4)}…`,
    ]);
    const fr = await s.cm('run', 'script', 'get greeting _fr', '--dry-run', '--explain', '-s');
    assert.equal(
      fr.stdout.trim().split('\n').pop(),
      `get-greeting  miss  other-variations: entry ${uid.slice(0, 4)}… has _en, wanted _fr`,
    );
    assert.deepEqual(logLines(s), ['greet en', 'app']);
    s.cleanup();
  });

  test('cm show cache --why explains a run without running anything (the cache folder is unchanged)', async () => {
    const s = greetings();
    const none = await s.cm('show', 'cache', '--why', 'get greeting _fr', '-j');
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual(
      [none.json().tree.cache.status, none.json().tree.cache.reason],
      ['miss', 'no-entry'],
    );
    assert.deepEqual(cacheEntries(s), []);
    await s.runJ('get greeting');
    const before = listDir(s.local('cache'));
    const why = await s.cm('show', 'cache', '--why=get greeting _fr');
    assert.equal(why.code, 0, why.stderr);
    assert.match(
      why.stdout,
      /^get-greeting {2}miss {2}other-variations: entry .* has _en, wanted _fr$/m,
    );
    const app = await s.cm('show', 'cache', '--why', 'app', '-j');
    assert.equal(app.json().tree.deps[0].cache.status, 'hit');
    assert.deepEqual(listDir(s.local('cache')), before);
    assert.deepEqual(logLines(s), ['greet en']);
    const bad = await s.cm('show', 'cache', '--why=');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--why needs the tags of a script/);
    s.cleanup();
  });
});
