// End-to-end: review of the script engine (run.ts and friends): error and skip paths, cache flag
// combinations, locks, post deps on a hit, inherited variations, hook API helpers, `#` values.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCm } from '../../dist/index.js';
import { spawn } from 'node:child_process';
import { cmBin, parallel } from './helpers.js';
import { cacheEntries, logLines, scriptSandbox } from './script-fixtures.js';

/** A sandbox whose scripts are made knowing its folder (for logs outside the cache). */
function sandboxWith(make) {
  const s = scriptSandbox({});
  s.writeScripts(make(s.dir));
  return s;
}

const logTo = (dir, text, name = 'log.txt') => `echo "${text}" >> "${join(dir, name)}"`;

function libraryCm(s, answers = [], env = undefined) {
  const asked = [];
  const cm = createCm({
    home: s.home,
    cwd: s.dir,
    interactive: true,
    ...(env ? { env: { ...process.env, CM_REPOS: s.home, ...env } } : {}),
    ask: async (q) => {
      asked.push(q);
      return answers.length ? answers.shift() : '';
    },
  });
  return { cm, asked };
}

describe('script engine review', parallel, () => {
  test('a dynamic post dep of a cache hit does not get clean_env_keys_post_deps (as on a miss)', async () => {
    const s = sandboxWith((d) => ({
      spy: {
        meta: { tags: ['t', 'spy'] },
        run: logTo(d, 'spy P_SECRET=${P_SECRET:-unset}'),
      },
      top: {
        meta: {
          tags: ['t', 'top'],
          cache: true,
          env: { P_SECRET: 'yes' },
          clean_env_keys_post_deps: ['P_SECRET'],
          post_deps: [{ tags: 't,spy', dynamic: true }],
        },
        run: 'true',
      },
    }));
    assert.equal((await s.run('t top')).code, 0);
    assert.equal((await s.run('t top')).code, 0);
    assert.equal(cacheEntries(s).length, 1);
    assert.deepEqual(logLines(s), ['spy P_SECRET=unset', 'spy P_SECRET=unset']);
    s.cleanup();
  });

  test('preprocess skip with script: the caller env is its own plus the replacement exports only', async () => {
    const s = sandboxWith((d) => ({
      b: {
        meta: { tags: ['t', 'b'], new_env_keys: ['B_*'] },
        run: 'echo "B_X=from-b" > tmp-run-env.out',
      },
      a: {
        meta: { tags: ['t', 'a'], env: { A_JUNK: 'a-meta-env' }, new_env_keys: ['A_*'] },
        run: 'true',
        customize: `export function preprocess(i) { i.env.A_HOOK = 'polluted'; return { return: 0, skip: true, script: { tags: 't,b' } }; }`,
      },
      p: {
        meta: { tags: ['t', 'p'], deps: [{ tags: 't,a' }] },
        run: logTo(d, 'p A_JUNK=${A_JUNK:-unset} A_HOOK=${A_HOOK:-unset} B_X=${B_X:-unset}'),
      },
    }));
    const r = await s.run('t p');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(logLines(s), ['p A_JUNK=unset A_HOOK=unset B_X=from-b']);
    s.cleanup();
  });

  test('--dry-run deletes nothing: clean_output_files stay', async () => {
    const s = scriptSandbox({
      out: {
        meta: { tags: ['t', 'out'], clean_output_files: ['result.txt'] },
        run: 'echo new > result.txt',
      },
    });
    writeFileSync(join(s.dir, 'result.txt'), 'old\n');
    const r = await s.run('t out', '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(s.dir, 'result.txt')), 'the plan removed result.txt');
    s.cleanup();
  });

  test('parse_version reads an absolute file_name as given', async () => {
    const s = sandboxWith((d) => ({
      ver: {
        meta: { tags: ['t', 'ver'], new_env_keys: ['V_*'] },
        customize: `
import { writeFileSync } from 'node:fs';
export function preprocess(i) {
  const f = ${JSON.stringify(join(d, 'abs-ver.txt'))};
  writeFileSync(f, 'mytool version 4.5.6\\n');
  const r = i.automation.parse_version({ match_text: 'version\\\\s+([\\\\d.]+)', group_number: 1, env_key: 'V_VER', which_env: i.env, file_name: f });
  if (r.return > 0) return r;
  return { return: 0 };
}`,
      },
    }));
    const j = await s.runJ('t ver');
    assert.equal(j.new_env.V_VER, '4.5.6');
    s.cleanup();
  });

  test('inherit_variation_tags passes the parent exclusions (_-x) on, as in variation_tags_string', async () => {
    const V = {
      fp32: { group: 'prec', default: true, env: { T_PREC: 'fp32' } },
      fp16: { group: 'prec', env: { T_PREC: 'fp16' } },
    };
    const s = sandboxWith((d) => ({
      child: {
        meta: { tags: ['t', 'child'], default_env: { T_PREC: 'none' }, variations: V },
        run: logTo(d, 'child T_PREC=${T_PREC}'),
      },
      parent: {
        meta: {
          tags: ['t', 'parent'],
          variations: V,
          deps: [{ tags: 't,child', inherit_variation_tags: true }],
        },
        run: 'true',
      },
    }));
    const r = await s.runJ('t parent -_fp32');
    assert.deepEqual(r.deps, ['t,child,_-fp32']);
    assert.deepEqual(logLines(s), ['child T_PREC=none']);
    s.cleanup();
  });

  test('a remembered script selection is keyed by the tag set: "t,dup" then "dup,t" ask once', async () => {
    const s = sandboxWith((d) => ({
      'dup-1': { meta: { tags: ['t', 'dup'] }, run: logTo(d, 'dup-1') },
      'dup-2': { meta: { tags: ['t', 'dup'] }, run: logTo(d, 'dup-2') },
      p: { meta: { tags: ['p'], deps: [{ tags: 't,dup' }, { tags: 'dup,t' }] }, run: 'true' },
    }));
    const { cm, asked } = libraryCm(s, ['1', '0']);
    const r = await cm.access({ action: 'run', automation: 'script', tags: 'p' });
    assert.equal(r.return, 0, r.error);
    assert.equal(asked.length, 1, asked.join('\n---\n'));
    assert.deepEqual(logLines(s), ['dup-2', 'dup-2']);
    s.cleanup();
  });

  test('a dynamic variation value with "$" is substituted literally', async () => {
    const s = scriptSandbox({
      dyn: {
        meta: {
          tags: ['t', 'dyn'],
          new_env_keys: ['D_*'],
          variations: { 'val.#': { env: { D_VAL: '#' } } },
        },
      },
    });
    const j = await s.runJ('t dyn _val.a$$b$&c');
    assert.equal(j.new_env.D_VAL, 'a$$b$&c');
    s.cleanup();
  });

  test('library API: two runs of one cached script at once in one process both succeed', async () => {
    const s = sandboxWith((d) => ({
      slow: {
        meta: { tags: ['t', 'slow'], cache: true, new_env_keys: ['T_*'] },
        run: ['sleep 1', logTo(d, 'ran'), 'echo "T_SLOW=done" > tmp-run-env.out'].join('\n'),
      },
    }));
    // 0.001 h = 3.6 s: a lock wait that never ends shows as a timeout instead of a hang.
    const { cm } = libraryCm(s, [], { CM_CACHE_LOCK_TIMEOUT_HOURS: '0.001' });
    const run = () =>
      cm.access({ action: 'run', automation: 'script', tags: 't,slow', quiet: true, silent: true });
    const [a, b] = await Promise.all([run(), run()]);
    assert.equal(a.return, 0, a.error);
    assert.equal(b.return, 0, b.error);
    assert.equal(a.new_env.T_SLOW, 'done');
    assert.equal(b.new_env.T_SLOW, 'done');
    s.cleanup();
  });

  test('a run that waited for the lock and then reuses the entry still runs the dynamic deps', async () => {
    const s = sandboxWith((d) => ({
      dyn: { meta: { tags: ['t', 'dyn'] }, run: logTo(d, 'dyn dep') },
      slow: {
        meta: {
          tags: ['t', 'slow'],
          cache: true,
          deps: [{ tags: 't,dyn', dynamic: true }],
        },
        run: ['sleep 2', logTo(d, 'slow ran')].join('\n'),
      },
    }));
    const [a, b] = await Promise.all([s.run('t slow'), s.run('t slow')]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const lines = logLines(s);
    assert.equal(lines.filter((l) => l === 'slow ran').length, 1, lines.join('\n'));
    assert.match(a.stdout + a.stderr + b.stdout + b.stderr, /made by another process/);
    assert.equal(lines.filter((l) => l === 'dyn dep').length, 2, lines.join('\n'));
    s.cleanup();
  });

  test('extra_cache_tags_from_env takes part in the lookup: another --env value makes another entry', async () => {
    const s = sandboxWith((d) => ({
      withpy: {
        meta: {
          tags: ['t', 'withpy'],
          cache: true,
          new_env_keys: ['T_*'],
          extra_cache_tags_from_env: [{ env: 'T_PY', prefix: 'python-' }],
        },
        run: [logTo(d, 'ran T_PY=${T_PY}'), 'echo "T_SEEN=${T_PY}" > tmp-run-env.out'].join('\n'),
      },
    }));
    const a = await s.runJ('t withpy', '--env.T_PY=3.10');
    const b = await s.runJ('t withpy', '--env.T_PY=3.11');
    assert.deepEqual(logLines(s), ['ran T_PY=3.10', 'ran T_PY=3.11']);
    assert.notEqual(a.cache_entry, b.cache_entry);
    assert.equal(b.new_env.T_SEEN, '3.11');
    // and each value finds its own entry again
    const a2 = await s.runJ('t withpy', '--env.T_PY=3.10');
    assert.equal(a2.cache_entry, a.cache_entry);
    s.cleanup();
  });

  test('library API: a failed run leaves the caller env and state as they were', async () => {
    const s = scriptSandbox({
      fail: {
        meta: { tags: ['t', 'fail'], env: { F_JUNK: 'meta' }, state: { junk: 1 } },
        run: 'exit 3',
      },
    });
    const { cm } = libraryCm(s);
    const env = { MINE: 'x' };
    const state = { mine: true };
    const r = await cm.access({
      action: 'run',
      automation: 'script',
      tags: 't,fail',
      env,
      state,
      quiet: true,
      silent: true,
    });
    assert.equal(r.return, 2, r.error);
    assert.deepEqual(env, { MINE: 'x' });
    assert.deepEqual(state, { mine: true });
    s.cleanup();
  });

  test('process.cwd() is restored after a hook that changes it and throws (library API)', async () => {
    const s = scriptSandbox({
      chdir: {
        meta: { tags: ['t', 'chdir'] },
        customize: `export function preprocess(i) { process.chdir('/'); throw new Error('boom'); }`,
      },
      chdir2: {
        meta: { tags: ['t', 'chdir2'] },
        customize: `export function postprocess(i) { process.chdir('/'); return { return: 0 }; }`,
      },
    });
    const before = process.cwd();
    const { cm } = libraryCm(s);
    const r = await cm.access({
      action: 'run',
      automation: 'script',
      tags: 't,chdir',
      quiet: true,
      silent: true,
    });
    assert.notEqual(r.return, 0);
    assert.match(r.error, /boom/);
    assert.equal(process.cwd(), before);
    const r2 = await cm.access({
      action: 'run',
      automation: 'script',
      tags: 't,chdir2',
      quiet: true,
      silent: true,
    });
    assert.equal(r2.return, 0, r2.error);
    assert.equal(process.cwd(), before);
    s.cleanup();
  });

  test('a preprocess that replaces its script by itself is a cycle, not an endless run', async () => {
    const s = scriptSandbox({
      self: {
        meta: { tags: ['t', 'self'] },
        customize: `export function preprocess(i) { return { return: 0, skip: true, script: { tags: 't,self' } }; }`,
      },
    });
    const r = await new Promise((resolve, reject) => {
      const p = spawn(process.execPath, [cmBin, 'run', 'script', 't self', '--quiet', '-s'], {
        cwd: s.dir,
        env: { ...process.env, CM_REPOS: s.home },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      const timer = setTimeout(() => p.kill('SIGKILL'), 10000);
      p.on('error', reject);
      p.on('close', (status, signal) => {
        clearTimeout(timer);
        resolve({ status, signal, stderr });
      });
    });
    assert.notEqual(r.signal, 'SIGKILL', 'still running after 10 s');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /cycle/);
    s.cleanup();
  });

  test('--renew whose run fails leaves the entry tmp (not reused); the next run makes a valid one', async () => {
    const s = sandboxWith((d) => ({
      r: {
        meta: { tags: ['t', 'renewme'], cache: true },
        run: ['if [ "$T_FAIL" = yes ]; then exit 4; fi', logTo(d, 'ran')].join('\n'),
      },
    }));
    const first = await s.runJ('t renewme');
    const bad = await s.run('t renewme', '--renew', '--env.T_FAIL=yes');
    assert.equal(bad.code, 2, bad.stderr);
    const [e] = cacheEntries(s);
    assert.equal(e.path, first.cache_entry);
    assert.ok(e.tags.includes('tmp'), e.tags.join(','));
    const again = await s.runJ('t renewme');
    assert.deepEqual(logLines(s), ['ran', 'ran']);
    const entries = cacheEntries(s);
    assert.equal(entries.length, 1);
    assert.ok(!entries[0].tags.includes('tmp'));
    assert.equal(entries[0].path, again.cache_entry);
    s.cleanup();
  });
});
