// End-to-end: caching of script runs (spec §9, acceptance scenarios G: S64–S80) through the real
// CLI, plus the clean behaviours of this implementation: the key is every resolved variation and
// the resolved version (Q1), a lock per key (Q11), failed/killed runs leave a `tmp` entry that is
// replaced by the next run, a fingerprint of the script folder, expiration, prune, show and rm.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCm } from '../../dist/index.js';
import { cmBin, listDir, parallel } from './helpers.js';
import { cacheEntries, logLines, scriptSandbox, uidOf, V_VARIATIONS } from './script-fixtures.js';

/** A sandbox whose scripts are made knowing its folder (for logs outside the cache). */
function sandboxWith(make) {
  const s = scriptSandbox({});
  s.writeScripts(make(s.dir));
  return s;
}

const logTo = (dir, text, name = 'log.txt') => `echo "${text}" >> "${join(dir, name)}"`;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Meta V of the spec (variations), cached, tags t,cached. */
const V_META = {
  tags: ['t', 'cached'],
  cache: true,
  default_env: { T_PREC: 'none' },
  new_env_keys: ['T_*'],
  variations: V_VARIATIONS,
};

const vScript = (dir, extra = {}) => ({
  meta: { ...V_META, ...extra },
  run: [
    'echo "T_RUN_DIR=$PWD" > tmp-run-env.out',
    'if [ "$T_FAIL" = yes ]; then echo "boom before exit"; exit 3; fi',
    logTo(dir, 'run T_PREC=${T_PREC} RENEW=${CM_RENEW_CACHE_ENTRY}'),
  ].join('\n'),
});

/** `* Tags:` blocks of `cm show cache`. */
function showBlocks(stdout) {
  return stdout
    .split(/^(?=\* Tags: )/m)
    .filter((b) => b.startsWith('* Tags: '))
    .map((b) => {
      const tags = /^\* Tags: (.*)$/m.exec(b)[1];
      const path = /^ {2}Path: (.*)$/m.exec(b)?.[1];
      const version = /^ {2}Version: (.*)$/m.exec(b)?.[1];
      return { tags, path, version };
    });
}

describe('script cache', parallel, () => {
  test('S64 the first run makes an entry in the cache with its files, tags, state and runs inside it', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const j = await s.runJ('t cached');
    const entries = cacheEntries(s);
    assert.equal(entries.length, 1);
    const e = entries[0];
    assert.equal(j.cache_entry, e.path);
    assert.equal(e.path, s.local('cache', e.uid));
    for (const f of [
      '_cm.json',
      'cm-cached-state.json',
      'tmp-env.sh',
      'tmp-env-all.sh',
      'tmp-run.sh',
      'tmp-state.json',
    ])
      assert.ok(existsSync(join(e.path, f)), `${f} in ${listDir(e.path)}`);
    for (const t of ['t', 'cached', `script-artifact-${uidOf('cached')}`, '_fp32'])
      assert.ok(e.tags.includes(t), `${t} in ${e.tags}`);
    assert.ok(!e.tags.includes('tmp'));
    assert.equal(e.meta.associated_script_artifact, `cached,${uidOf('cached')}`);
    assert.equal(typeof e.meta.script_fingerprint, 'string');
    const cs = readJson(join(e.path, 'cm-cached-state.json'));
    for (const k of ['deps', 'new_env', 'new_state', 'version'])
      assert.ok(k in cs, `${k} in cm-cached-state.json`);
    assert.equal(cs.new_env.T_RUN_DIR, e.path);
    assert.equal(cs.new_env.T_PREC, 'fp32');
    assert.equal(j.new_env.T_RUN_DIR, e.path, 'run.sh ran inside the entry');
    assert.match(readFileSync(join(e.path, 'tmp-env.sh'), 'utf8'), /export T_RUN_DIR=/);
    assert.deepEqual(logLines(s), ['run T_PREC=fp32 RENEW=']);
    s.cleanup();
  });

  test('S65 the second run reuses the entry: no run.sh, "! load" line, the same new_env', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const first = await s.runJ('t cached');
    const r = await s.run('t cached');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stderr.includes(`! load ${join(first.cache_entry, 'cm-cached-state.json')}`),
      r.stderr,
    );
    const second = await s.runJ('t cached');
    assert.equal(second.cache_entry, first.cache_entry);
    assert.deepEqual(second.new_env, first.new_env);
    assert.equal(logLines(s).length, 1);
    assert.equal(cacheEntries(s).length, 1);
    s.cleanup();
  });

  test('S66 (clean Q1) the key is the full resolved variation set, defaults included', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const full = await s.runJ('t cached _full _bs.8');
    assert.equal(full.new_env.T_BS, '8');
    const fullTags = cacheEntries(s)[0].tags;
    for (const t of ['_full', '_bs.8', '_onnx', '_fp32'])
      assert.ok(fullTags.includes(t), `${t} in ${fullTags}`);
    // `cmr "v"` does not reuse the _full _bs.8 entry …
    const plain = await s.runJ('t cached');
    assert.notEqual(plain.cache_entry, full.cache_entry);
    assert.equal(plain.new_env.T_FULL, undefined);
    assert.equal(logLines(s).length, 2);
    // … and `cmr "v _fp32"` (the group default made explicit) reuses the one made by `cmr "v"`.
    assert.equal((await s.runJ('t cached _fp32')).cache_entry, plain.cache_entry);
    // Order and explicit defaults do not matter; another variation set is another entry.
    assert.equal((await s.runJ('t cached _bs.8 _full')).cache_entry, full.cache_entry);
    assert.equal((await s.runJ('t cached _fp32 _full _bs.8')).cache_entry, full.cache_entry);
    assert.equal(logLines(s).length, 2);
    const onnx = await s.runJ('t cached _onnx');
    assert.notEqual(onnx.cache_entry, plain.cache_entry);
    assert.notEqual(onnx.cache_entry, full.cache_entry);
    const fp16 = await s.runJ('t cached _fp16');
    assert.equal(fp16.new_env.T_PREC, 'fp16');
    assert.equal(logLines(s).length, 4);
    assert.equal(cacheEntries(s).length, 4);
    s.cleanup();
  });

  test('S67 --new makes a second entry with the same tags', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const a = await s.runJ('t cached');
    const b = await s.runJ('t cached', '--new');
    assert.notEqual(a.cache_entry, b.cache_entry);
    const entries = cacheEntries(s);
    assert.equal(entries.length, 2);
    assert.deepEqual([...entries[0].tags].sort(), [...entries[1].tags].sort());
    assert.equal(logLines(s).length, 2);
    s.cleanup();
  });

  test('S68 --renew re-runs in the same entry dir with CM_RENEW_CACHE_ENTRY=yes', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const a = await s.runJ('t cached');
    const uid = cacheEntries(s)[0].uid;
    const b = await s.runJ('t cached', '--renew');
    assert.equal(b.cache_entry, a.cache_entry);
    assert.deepEqual(logLines(s), ['run T_PREC=fp32 RENEW=', 'run T_PREC=fp32 RENEW=yes']);
    const entries = cacheEntries(s);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].uid, uid);
    assert.ok(!entries[0].tags.includes('tmp'), entries[0].tags.join(','));
    // and it is reused afterwards
    assert.equal((await s.runJ('t cached')).cache_entry, a.cache_entry);
    assert.equal(logLines(s).length, 2);
    s.cleanup();
  });

  test('S69 --skip_cache runs in the caller folder and makes no entry', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const j = await s.runJ('t cached', '--skip_cache');
    assert.equal(j.new_env.T_RUN_DIR, s.dir);
    assert.equal(j.cache_entry, undefined);
    assert.deepEqual(cacheEntries(s), []);
    assert.equal(logLines(s).length, 1);
    assert.ok(
      !existsSync(join(s.dir, 'tmp-run.sh')),
      'tmp files are cleaned from the caller folder',
    );
    s.cleanup();
  });

  test('S70 (clean) a failed run: rc 2 with exit status and output; a tmp entry, replaced by the next run', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const r = await s.run('t cached', '--env.T_FAIL=yes');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /exit status = 3\b/);
    // The wait status (768) is never reported as a number; /768/ alone also matched the random
    // uid of the entry's folder in the paths printed (a516e005dcf76808), one run in a few hundred.
    assert.doesNotMatch(r.stderr, /\b768\b/);
    assert.match(r.stderr, /boom before exit/, 'the last lines of output are in the hint');
    const failed = cacheEntries(s);
    assert.equal(failed.length, 1);
    assert.ok(failed[0].tags.includes('tmp'), failed[0].tags.join(','));
    const jf = await s.cm('run', 'script', 't cached', '--env.T_FAIL=yes', '--quiet', '-j', '-s');
    assert.equal(jf.code, 2);
    assert.equal(jf.json().return, 2);
    assert.match(jf.json().error, /exit status = 3/);
    // the second failure replaced the first tmp entry
    assert.equal(cacheEntries(s).length, 1);
    const failedPath = cacheEntries(s)[0].path;
    const show = await s.cm('show', 'cache');
    assert.match(show.stdout, /tmp/);
    // The next good run is not served by the tmp entry: it runs in a new entry and removes the old one.
    const ok = await s.runJ('t cached');
    assert.notEqual(ok.cache_entry, failedPath);
    assert.equal(ok.new_env.T_RUN_DIR, ok.cache_entry);
    const after = cacheEntries(s);
    assert.equal(after.length, 1);
    assert.equal(after[0].path, ok.cache_entry);
    assert.ok(!after[0].tags.includes('tmp'));
    assert.ok(!existsSync(failedPath));
    assert.deepEqual(logLines(s), ['run T_PREC=fp32 RENEW=']);
    s.cleanup();
  });

  test('S71 --force_cache caches a non-cached script only with can_force_cache', async () => {
    const s = sandboxWith((d) => ({
      forceable: {
        meta: { tags: ['t', 'forceable'], cache: false, can_force_cache: true },
        run: logTo(d, 'forceable'),
      },
      plain: { meta: { tags: ['t', 'plain'], cache: false }, run: logTo(d, 'plain') },
    }));
    const a = await s.runJ('t forceable', '--force_cache');
    assert.ok(a.cache_entry);
    assert.equal(cacheEntries(s).length, 1);
    assert.equal((await s.runJ('t forceable', '--force_cache')).cache_entry, a.cache_entry);
    assert.equal(logLines(s).length, 1);
    const b = await s.runJ('t plain', '--force_cache');
    assert.equal(b.cache_entry, undefined);
    await s.runJ('t plain', '--force_cache');
    assert.equal(cacheEntries(s).length, 1);
    assert.deepEqual(logLines(s), ['forceable', 'plain', 'plain']);
    s.cleanup();
  });

  test('S72 --extra_cache_tags and --name tag the entry; a run with another name makes a new one', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const a = await s.runJ('t cached', '--extra_cache_tags=a,b', '--name=Venv1');
    const tags = cacheEntries(s)[0].tags;
    for (const t of ['a', 'b', 'name-venv1']) assert.ok(tags.includes(t), `${t} in ${tags}`);
    assert.equal((await s.runJ('t cached')).cache_entry, a.cache_entry);
    assert.equal((await s.runJ('t cached', '--name=Venv1')).cache_entry, a.cache_entry);
    assert.equal(logLines(s).length, 1);
    const other = await s.runJ('t cached', '--name=other');
    assert.notEqual(other.cache_entry, a.cache_entry);
    assert.ok(
      cacheEntries(s)
        .find((e) => e.path === other.cache_entry)
        .tags.includes('name-other'),
    );
    assert.equal(logLines(s).length, 2);
    s.cleanup();
  });

  test('S73 extra_cache_tags_from_env tags the entry with deps-<prefix><value> from a dep export', async () => {
    const s = sandboxWith(() => ({
      pyv: {
        meta: { tags: ['get', 'pyv'], new_env_keys: ['PYV'] },
        run: 'echo "PYV=3.11" > tmp-run-env.out',
      },
      withpy: {
        meta: {
          tags: ['t', 'withpy'],
          cache: true,
          deps: [{ tags: 'get,pyv' }],
          extra_cache_tags_from_env: [{ env: 'PYV', prefix: 'python-' }],
        },
        run: 'true',
      },
    }));
    const j = await s.runJ('t withpy');
    const e = cacheEntries(s).find((x) => x.path === j.cache_entry);
    assert.ok(e.tags.includes('deps-python-3.11'), e.tags.join(','));
    s.cleanup();
  });

  test('S74 add_extra_cache_tags returned by postprocess tag the entry', async () => {
    const s = scriptSandbox({
      extra: {
        meta: { tags: ['t', 'extra'], cache: true },
        run: 'true',
        customize:
          'export function postprocess(i) { return { return: 0, add_extra_cache_tags: ["x", "y-z"] }; }\n',
      },
    });
    const j = await s.runJ('t extra');
    const e = cacheEntries(s).find((x) => x.path === j.cache_entry);
    assert.ok(e.tags.includes('x') && e.tags.includes('y-z'), e.tags.join(','));
    assert.equal((await s.runJ('t extra')).cache_entry, j.cache_entry);
    s.cleanup();
  });

  test('S75 a non-cached child of a cached parent runs inside the parent entry', async () => {
    const s = sandboxWith((d) => ({
      child: { meta: { tags: ['t', 'child'] }, run: logTo(d, 'child $PWD') },
      parent: {
        meta: { tags: ['t', 'parent'], cache: true, deps: [{ tags: 't,child' }] },
        run: logTo(d, 'parent $PWD'),
      },
    }));
    const j = await s.runJ('t parent');
    assert.deepEqual(logLines(s), [`child ${j.cache_entry}`, `parent ${j.cache_entry}`]);
    s.cleanup();
  });

  test('S76 an entry whose dependent_cached_path is gone is ignored and hidden by show', async () => {
    // each run makes its own folder dep-<entry uid> outside the cache
    const s = sandboxWith((d) => ({
      depcp: {
        meta: { tags: ['t', 'depcp'], cache: true },
        run: [
          `DEP="${d}/dep-$(basename "$PWD")"`,
          'mkdir -p "$DEP"',
          'echo "CM_GET_DEPENDENT_CACHED_PATH=$DEP" >> tmp-run-env.out',
          logTo(d, 'run'),
        ].join('\n'),
      },
    }));
    const a = await s.runJ('t depcp');
    const depDir = join(s.dir, `dep-${cacheEntries(s)[0].uid}`);
    assert.equal(cacheEntries(s)[0].meta.dependent_cached_path, depDir);
    assert.equal((await s.runJ('t depcp')).cache_entry, a.cache_entry);
    rmSync(depDir, { recursive: true });
    const shown = await s.cm('show', 'cache');
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(showBlocks(shown.stdout), []);
    const b = await s.runJ('t depcp');
    assert.notEqual(b.cache_entry, a.cache_entry);
    assert.equal(logLines(s).length, 2);
    const blocks = showBlocks((await s.cm('show', 'cache')).stdout);
    assert.deepEqual(
      blocks.map((x) => x.path),
      [b.cache_entry],
    );
    s.cleanup();
  });

  test('S77 a validate_cache.sh that fails makes the entry ignored and the script run again', async () => {
    const s = sandboxWith((d) => ({
      validated: {
        meta: { tags: ['t', 'validated'], cache: true },
        run: logTo(d, 'run'),
        files: {
          'validate_cache.sh': `#!/bin/bash\n${logTo(d, 'validate', 'validate.txt')}\nexit 1\n`,
        },
      },
    }));
    await s.runJ('t validated');
    await s.runJ('t validated');
    assert.equal(
      logLines(s).length,
      2,
      `validate_cache.sh ran ${logLines(s, 'validate.txt').length} times`,
    );
    s.cleanup();
  });

  test('S78 cm rm cache --tags=... -f deletes only the matching entry; show lists the rest sorted', async () => {
    const s = scriptSandbox({ tool: { meta: { tags: ['t', 'tool'], cache: true }, run: 'true' } });
    const made = {};
    for (const v of ['2.0.0', '3.0.0', '1.0.0', '5.0.0', '4.0.0'])
      made[v] = (await s.runJ('t tool', `--version=${v}`)).cache_entry;
    assert.equal(cacheEntries(s).length, 5);
    const rm = await s.cm('rm', 'cache', '--tags=t,tool,version-3.0.0', '-f');
    assert.equal(rm.code, 0, rm.stderr);
    assert.ok(!existsSync(made['3.0.0']));
    for (const v of ['1.0.0', '2.0.0', '4.0.0', '5.0.0']) assert.ok(existsSync(made[v]), v);
    // rm without -f in a non-interactive call deletes nothing
    await s.cm('rm', 'cache', '--tags=t,tool');
    assert.equal(cacheEntries(s).length, 4);
    // --tags narrows, and the -j result lists the same entries
    const one = await s.cm('show', 'cache', '--tags=version-2.0.0', '-j');
    assert.deepEqual(
      one.json().list.map((x) => x.path),
      [made['2.0.0']],
    );
    const show = await s.cm('show', 'cache', '--tags=t,tool');
    assert.equal(show.code, 0, show.stderr);
    const blocks = showBlocks(show.stdout);
    const uid = uidOf('tool');
    assert.deepEqual(
      blocks.map((b) => [b.tags, b.path, b.version]).sort(),
      ['1.0.0', '2.0.0', '4.0.0', '5.0.0'].map((v) => [
        `script-artifact-${uid},t,tool,version-${v}`,
        made[v],
        v,
      ]),
    );
    // the entries are listed sorted by their tags (as the reference does), not in folder order
    assert.deepEqual(
      blocks.map((b) => b.version),
      ['1.0.0', '2.0.0', '4.0.0', '5.0.0'],
      show.stdout,
    );
    s.cleanup();
  });

  test('S78 cm rm cache -f without tags wipes every entry', async () => {
    const s = scriptSandbox({ tool: { meta: { tags: ['t', 'tool'], cache: true }, run: 'true' } });
    await s.runJ('t tool', '--version=1.0.0');
    await s.runJ('t tool', '--version=2.0.0');
    assert.equal(cacheEntries(s).length, 2);
    const all = await s.cm('rm', 'cache', '-f');
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(cacheEntries(s), []);
    assert.equal((await s.cm('show', 'cache')).stdout, '');
    s.cleanup();
  });

  test('S79 --only_execute_from_cache without an entry returns 16 "No valid cache entry found"', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const r = await s.run('t cached', '--only_execute_from_cache');
    assert.equal(r.code, 16, r.stderr);
    assert.match(r.stderr, /No valid cache entry found for \[/);
    assert.deepEqual(cacheEntries(s), []);
    assert.deepEqual(logLines(s), []);
    await s.runJ('t cached');
    const ok = await s.runJ('t cached', '--only_execute_from_cache');
    assert.equal(ok.return, 0);
    assert.equal(logLines(s).length, 1);
    s.cleanup();
  });

  test('S80 interactive choice among two entries: -1 makes a new entry, 1 picks the second', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    await s.runJ('t cached');
    await s.runJ('t cached', '--new');
    const questions = [];
    const answers = ['-1', '1'];
    const cm = createCm({
      env: { ...process.env, CM_REPOS: s.home },
      cwd: s.dir,
      interactive: true,
      ask: async (q) => {
        questions.push(q);
        return answers.shift();
      },
    });
    const r = await cm.access({ action: 'run', automation: 'script', tags: 't,cached' });
    assert.equal(r.return, 0, r.error);
    assert.equal(questions.length, 1);
    assert.match(questions[0], /-1/);
    assert.equal(cacheEntries(s).length, 3);
    assert.equal(logLines(s).length, 3);
    const listed = questions[0]
      .split('\n')
      .filter((l) => /^\d+\) /.test(l))
      .map((l) => /^\d+\) (\S+)/.exec(l)[1]);
    assert.equal(listed.length, 2);
    const r2 = await cm.access({ action: 'run', automation: 'script', tags: 't,cached' });
    assert.equal(r2.return, 0, r2.error);
    assert.equal(questions.length, 2);
    assert.equal(logLines(s).length, 3, 'the chosen entry is reused');
    const listed2 = questions[1]
      .split('\n')
      .filter((l) => /^\d+\) /.test(l))
      .map((l) => /^\d+\) (\S+)/.exec(l)[1]);
    assert.equal(r2.cache_entry, listed2[1]);
    s.cleanup();
  });

  test('concurrency: two runs started at once run the script once and share the entry', async () => {
    const s = sandboxWith((d) => ({
      slow: {
        meta: { tags: ['t', 'slow'], cache: true, new_env_keys: ['T_*'] },
        run: ['sleep 1', logTo(d, 'ran $$'), 'echo "T_SLOW=done" > tmp-run-env.out'].join('\n'),
      },
    }));
    const [a, b] = await Promise.all([
      s.cm('run', 'script', 't slow', '--quiet', '-j', '-s'),
      s.cm('run', 'script', 't slow', '--quiet', '-j', '-s'),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(logLines(s).length, 1, logLines(s).join('\n'));
    assert.equal(a.json().cache_entry, b.json().cache_entry);
    assert.equal(a.json().new_env.T_SLOW, 'done');
    assert.equal(b.json().new_env.T_SLOW, 'done');
    const show = await s.cm('show', 'cache');
    assert.equal(showBlocks(show.stdout).length, 1, show.stdout);
    assert.equal(cacheEntries(s).length, 1);
    s.cleanup();
  });

  test('a run killed with -9 leaves a tmp entry; the next run runs again, succeeds and removes it', async () => {
    const s = sandboxWith((d) => ({
      hang: {
        meta: { tags: ['t', 'hang'], cache: true },
        run: [
          `if [ "$T_HANG" = yes ]; then touch "${join(d, 'marker')}"; sleep 60; fi`,
          logTo(d, 'ran'),
        ].join('\n'),
      },
    }));
    const child = spawn(
      process.execPath,
      [cmBin, 'run', 'script', 't hang', '--env.T_HANG=yes', '--quiet'],
      {
        cwd: s.dir,
        env: { ...process.env, CM_REPOS: s.home },
        stdio: 'ignore',
        detached: true,
      },
    );
    const closed = new Promise((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    const t0 = Date.now();
    while (!existsSync(join(s.dir, 'marker'))) {
      assert.ok(Date.now() - t0 < 20000, 'run.sh did not start');
      await sleep(50);
    }
    process.kill(-child.pid, 'SIGKILL'); // the cm process and its run.sh
    const end = await closed;
    assert.equal(end.signal, 'SIGKILL');
    const left = cacheEntries(s);
    assert.equal(left.length, 1);
    assert.ok(left[0].tags.includes('tmp'), left[0].tags.join(','));
    const show = await s.cm('show', 'cache');
    assert.match(show.stdout, /incomplete|tmp/);
    const j = await s.runJ('t hang');
    assert.equal(j.return, 0);
    assert.notEqual(j.cache_entry, left[0].path);
    assert.deepEqual(logLines(s), ['ran'], 'the script ran again');
    const after = cacheEntries(s);
    assert.equal(after.length, 1);
    assert.ok(
      after.every((e) => !e.tags.includes('tmp')),
      JSON.stringify(after.map((e) => e.tags)),
    );
    assert.equal((await s.runJ('t hang')).cache_entry, j.cache_entry);
    assert.equal(logLines(s).length, 1);
    s.cleanup();
  });

  test('cm rm cache -f keeps an entry that a running cm is still making', async () => {
    const s = sandboxWith((d) => ({
      busy: {
        meta: { tags: ['t', 'busy'], cache: true },
        run: [
          `touch "${join(d, 'started')}"`,
          `while [ ! -f "${join(d, 'go')}" ]; do sleep 0.05; done`,
          logTo(d, 'ran'),
        ].join('\n'),
      },
    }));
    const child = spawn(process.execPath, [cmBin, 'run', 'script', 't busy', '--quiet', '-s'], {
      cwd: s.dir,
      env: { ...process.env, CM_REPOS: s.home },
      stdio: 'ignore',
    });
    const closed = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    const t0 = Date.now();
    while (!existsSync(join(s.dir, 'started'))) {
      assert.ok(Date.now() - t0 < 20000, 'run.sh did not start');
      await sleep(50);
    }
    const rm = await s.cm('rm', 'cache', '--tags=t,busy', '-f');
    assert.equal(rm.code, 0, rm.stderr);
    assert.match(rm.stderr, /kept .*: a run is making it/);
    const all = await s.cm('rm', 'cache', '-f');
    assert.match(all.stderr, /kept .*: a run is making it/);
    appendFileSync(join(s.dir, 'go'), '');
    assert.equal(await closed, 0);
    const left = cacheEntries(s);
    assert.equal(left.length, 1);
    assert.ok(!left[0].tags.includes('tmp'));
    s.cleanup();
  });

  test('library API: in one long-lived process an edited script is not served from its old entry', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const cm = createCm({ home: s.home, cwd: s.dir });
    const run = () =>
      cm.access({ action: 'run', automation: 'script', tags: 't,cached', quiet: true });
    assert.equal((await run()).return, 0);
    assert.equal((await run()).return, 0);
    assert.equal(logLines(s).length, 1, 'the second run is a cache hit');
    appendFileSync(s.local('script', 'cached', 'run.sh'), '# edited\n');
    assert.equal((await run()).return, 0);
    assert.equal(logLines(s).length, 2, 'the edited script ran again in the same process');
    s.cleanup();
  });

  test('an entry made before the script changed is not reused ("the script changed")', async () => {
    const s = sandboxWith((d) => ({ cached: vScript(d) }));
    const a = await s.runJ('t cached');
    assert.equal((await s.runJ('t cached')).cache_entry, a.cache_entry);
    appendFileSync(s.local('script', 'cached', 'run.sh'), '# changed\n');
    const r = await s.run('t cached');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /the script changed/);
    assert.equal(logLines(s).length, 2);
    const b = await s.runJ('t cached');
    assert.notEqual(b.cache_entry, a.cache_entry);
    assert.equal(logLines(s).length, 2, 'the new entry is reused');
    const fps = cacheEntries(s).map((e) => e.meta.script_fingerprint);
    assert.equal(fps.length, 2);
    assert.notEqual(fps[0], fps[1]);
    s.cleanup();
  });

  test('cache_expiration (flag or meta) stores cache_expires; an expired entry is not reused', async () => {
    const s = sandboxWith((d) => ({
      cached: vScript(d),
      expiring: {
        meta: { tags: ['t', 'expiring'], cache: true, cache_expiration: '5s' },
        run: logTo(d, 'expiring'),
      },
    }));
    const before = Date.now();
    const a = await s.runJ('t cached', '--cache_expiration=5s');
    const b = await s.runJ('t expiring');
    for (const e of cacheEntries(s)) {
      assert.equal(typeof e.meta.cache_expires, 'number', JSON.stringify(e.meta));
      assert.ok(
        e.meta.cache_expires >= before + 5000 && e.meta.cache_expires <= Date.now() + 5000,
        String(e.meta.cache_expires),
      );
    }
    assert.equal((await s.runJ('t cached')).cache_entry, a.cache_entry);
    assert.equal((await s.runJ('t expiring')).cache_entry, b.cache_entry);
    assert.equal(logLines(s).length, 2);
    const wait = Math.max(...cacheEntries(s).map((e) => e.meta.cache_expires)) - Date.now() + 100;
    if (wait > 0) await sleep(wait);
    const a2 = await s.runJ('t cached');
    const b2 = await s.runJ('t expiring');
    assert.notEqual(a2.cache_entry, a.cache_entry);
    assert.notEqual(b2.cache_entry, b.cache_entry);
    assert.equal(logLines(s).length, 4);
    // without the flag the new entry does not expire
    assert.equal(
      cacheEntries(s).find((e) => e.path === a2.cache_entry).meta.cache_expires,
      undefined,
    );
    s.cleanup();
  });

  test('cm prune cache removes failed, expired, stale, orphaned and dependent-path-gone entries; --dry_run only lists', async () => {
    const s = sandboxWith((d) => ({
      good: { meta: { tags: ['t', 'good'], cache: true }, run: 'true' },
      cached: vScript(d),
      expiring: { meta: { tags: ['t', 'expiring'], cache: true }, run: 'true' },
      changing: { meta: { tags: ['t', 'changing'], cache: true }, run: 'true' },
      orphan: { meta: { tags: ['t', 'orphan'], cache: true }, run: 'true' },
      depcp: {
        meta: { tags: ['t', 'depcp'], cache: true },
        run: [
          `mkdir -p "${join(d, 'depdir')}"`,
          `echo "CM_GET_DEPENDENT_CACHED_PATH=${join(d, 'depdir')}" >> tmp-run-env.out`,
        ].join('\n'),
      },
    }));
    const good = (await s.runJ('t good')).cache_entry;
    assert.equal((await s.run('t cached', '--env.T_FAIL=yes')).code, 2);
    const failed = cacheEntries(s).find((e) => e.tags.includes('tmp')).path;
    const expiring = (await s.runJ('t expiring', '--cache_expiration=1s')).cache_entry;
    const changing = (await s.runJ('t changing')).cache_entry;
    const orphan = (await s.runJ('t orphan')).cache_entry;
    const depcp = (await s.runJ('t depcp')).cache_entry;
    appendFileSync(s.local('script', 'changing', 'run.sh'), '# changed\n');
    rmSync(s.local('script', 'orphan'), { recursive: true });
    rmSync(join(s.dir, 'depdir'), { recursive: true });
    const wait =
      cacheEntries(s).find((e) => e.path === expiring).meta.cache_expires - Date.now() + 100;
    if (wait > 0) await sleep(wait);
    const bad = [failed, expiring, changing, orphan, depcp].sort();

    const dry = await s.cm('prune', 'cache', '--dry_run', '-j');
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(
      dry
        .json()
        .removed.map((x) => x.path)
        .sort(),
      bad,
    );
    assert.equal(cacheEntries(s).length, 6, 'nothing removed by --dry_run');
    const dryText = await s.cm('prune', 'cache', '--dry_run');
    for (const p of bad)
      assert.ok(dryText.stderr.includes(p) || dryText.stdout.includes(p), `${p} listed`);

    const r = await s.cm('prune', 'cache', '-j');
    assert.equal(r.code, 0, r.stderr);
    const reasons = Object.fromEntries(r.json().removed.map((x) => [x.path, x.reason]));
    assert.deepEqual(Object.keys(reasons).sort(), bad);
    assert.match(reasons[failed], /fail|kill/);
    assert.match(reasons[expiring], /expired/);
    assert.match(reasons[changing], /script changed/);
    assert.match(reasons[orphan], /no longer exists|orphan/);
    assert.match(reasons[depcp], /dependent_cached_path/);
    assert.deepEqual(
      cacheEntries(s).map((e) => e.path),
      [good],
    );
    const again = await s.cm('prune', 'cache', '-j');
    assert.deepEqual(again.json().removed, []);
    assert.equal((await s.runJ('t good')).cache_entry, good);
    s.cleanup();
  });
});
