// End-to-end: --parallel=N. Independent deps run side by side (test/fixtures/par-catalog: four
// deps that sleep and export a key each); deps that read what an earlier one exports wait for it;
// and the result — env, state, new_env, new_state, deps and the -j tree — is the same as one after
// the other, over every script of the fixture catalogs too.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cmBin, parallel } from './helpers.js';
import { catalogSandbox, catalogWithPythons } from './script-fixtures.js';

/** The log the par-sleep deps write: [[event, which, seconds]]. */
function stamps(file) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([e, w, t]) => [e, w, Number(t)]);
}
const timeOf = (log, event, which) => log.find(([e, w]) => e === event && w === which)?.[2];

/** A -j result without what differs between any two runs (times, cache entry folders, sandbox). */
function comparable(out, dir) {
  const text = JSON.stringify(out, (k, v) => (k === 'ms' || k === 'cache' ? undefined : v));
  return JSON.parse(
    text
      .split(dir)
      .join('<sandbox>')
      .replace(/\b[0-9a-f]{16}\b/g, '<uid>'),
  );
}

describe('--parallel=N', parallel, () => {
  test('four independent deps run at once, and give what one after the other gives', async () => {
    const s = await catalogSandbox('par-catalog');
    const log = join(s.dir, 'par.log');
    const four = await s.runJ(
      'par root',
      '--parallel=4',
      '--env.CM_PARRUN=p4',
      `--env.CM_PAR_LOG=${log}`,
    );
    const starts = ['a', 'b', 'c', 'd'].map((w) => timeOf(stamps(log), 'start', w));
    const ends = ['a', 'b', 'c', 'd'].map((w) => timeOf(stamps(log), 'end', w));
    assert.ok(
      Math.max(...starts) < Math.min(...ends),
      `all start before any ends: ${readFileSync(log, 'utf8')}`,
    );
    const one = await s.runJ('par root', '--env.CM_PARRUN=p1');
    const norm = (o) => {
      const env = { ...o.env };
      const newEnv = { ...o.new_env };
      for (const e of [env, newEnv]) for (const k of ['CM_PARRUN', 'CM_PAR_LOG']) delete e[k];
      return comparable({ ...o, env, new_env: newEnv }, s.dir);
    };
    assert.deepEqual(norm(four).new_env, {
      CM_PAR_A: 'done-a',
      CM_PAR_B: 'done-b',
      CM_PAR_C: 'done-c',
      CM_PAR_D: 'done-d',
    });
    assert.deepEqual(norm(four), norm(one));
    s.cleanup();
  });

  test('a dep waits for an earlier one whose export its conditions or tags read', async () => {
    const s = await catalogSandbox('par-catalog');
    const chainLog = join(s.dir, 'chain.log');
    const chain = await s.runJ(
      'par chain',
      '--parallel=4',
      '--env.CM_PARRUN=c4',
      `--env.CM_PAR_LOG=${chainLog}`,
    );
    const c = stamps(chainLog);
    // _b runs only when _a exported CM_PAR_A (enable_if_env): it starts after _a ends.
    assert.ok(timeOf(c, 'start', 'b') >= timeOf(c, 'end', 'a'), readFileSync(chainLog, 'utf8'));
    assert.equal(chain.new_env.CM_PAR_B, 'done-b');
    const tagsLog = join(s.dir, 'tags.log');
    const tags = await s.runJ(
      'par tags',
      '--parallel=4',
      '--env.CM_PARRUN=t4',
      `--env.CM_PAR_LOG=${tagsLog}`,
    );
    const t = stamps(tagsLog);
    for (const w of ['b', 'c']) assert.ok(timeOf(t, 'start', w) >= timeOf(t, 'end', 'a'), w);
    // _d reads nothing _a exports, but deps start in declaration order: it starts with _b and
    // _c (which wait for _a) and runs beside them.
    assert.ok(timeOf(t, 'start', 'd') < timeOf(t, 'end', 'b'), readFileSync(tagsLog, 'utf8'));
    assert.equal(tags.new_env.CM_PAR_B, 'done-b-after-done-a');
    assert.equal(tags.new_env.CM_PAR_C, 'done-c-note-done-a');
    const tagsOne = await s.runJ('par tags', '--env.CM_PARRUN=t1');
    const { CM_PAR_LOG: _, ...tagsEnv } = tags.new_env;
    assert.deepEqual(tagsEnv, tagsOne.new_env);
    // Deps that are not cached share the caller's folder (its tmp-* files): one at a time.
    const hereLog = join(s.dir, 'here.log');
    await s.runJ('par here', '--parallel=4', `--env.CM_PAR_LOG=${hereLog}`);
    const h = stamps(hereLog);
    for (const [a, b] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
    ])
      assert.ok(timeOf(h, 'start', b) >= timeOf(h, 'end', a), `${b} after ${a}`);
    s.cleanup();
  });

  test('output of deps run side by side comes whole, in declaration order', async () => {
    const s = await catalogSandbox('par-catalog');
    // stdout and stderr in one stream, as a terminal shows them.
    const cmd = `"${process.execPath}" "${cmBin}" run script "par root" --quiet --parallel=4 --env.CM_PARRUN=o4 2>&1`;
    const r = spawnSync('bash', ['-c', cmd], {
      cwd: s.dir,
      env: { ...process.env, ...s.env(), CM_REPOS: s.home },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stdout);
    const lines = r.stdout.split('\n').filter((l) => /^par-sleep|cm run script/.test(l.trim()));
    assert.deepEqual(
      lines.map((l) => l.trim()),
      [
        '* cm run script "par root"',
        ...['a', 'b', 'c', 'd'].flatMap((w) => [
          `* cm run script "par sleep _${w} _cached"`,
          `par-sleep ${w}: start`,
          `par-sleep ${w}: done`,
        ]),
      ],
    );
    s.cleanup();
  });

  test('a failing dep stops new launches, lets running ones end, and is the error', async () => {
    const s = await catalogSandbox('par-catalog');
    const log = join(s.dir, 'fail.log');
    const r = await s.run(
      'par fail',
      '--parallel=4',
      '--env.CM_PARRUN=f4',
      `--env.CM_PAR_LOG=${log}`,
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.json().error, /par-sleep.*exit status = 3/);
    const l = stamps(log);
    assert.ok(timeOf(l, 'fail', 'b'));
    // _c and _d were running beside _b: they end, with their cache entries.
    for (const w of ['a', 'c', 'd'])
      assert.ok(timeOf(l, 'end', w), `${w} ended: ${readFileSync(log, 'utf8')}`);
    s.cleanup();
  });

  test('--parallel=0, -3, abc, 1.5 and CM_PARALLEL=x are refused before anything runs', async () => {
    const s = await catalogSandbox('par-catalog');
    const log = join(s.dir, 'never.log');
    for (const bad of ['0', '-3', 'abc', '1.5']) {
      const r = await s.cm(
        'run',
        'script',
        'par root',
        `--parallel=${bad}`,
        `--env.CM_PAR_LOG=${log}`,
      );
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`CM error: .*--parallel.*${bad.replace('.', '\\.')}`));
      assert.match(r.stderr, /hint: /);
    }
    const r = await s.cmWith(
      { CM_PARALLEL: 'x' },
      'run',
      'script',
      'par root',
      `--env.CM_PAR_LOG=${log}`,
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /CM_PARALLEL/);
    assert.ok(!existsSync(log), 'nothing ran');
    s.cleanup();
  });

  for (const name of ['cm-catalog', 'mlc-catalog'])
    test(`every script of ${name}: --parallel=4 gives what --parallel=1 gives`, async () => {
      const one = (await catalogWithPythons(name)).s;
      const four = (await catalogWithPythons(name)).s;
      for (const alias of readdirSync(join(one.repo, 'script')).sort()) {
        const a = await one.run(alias, '--parallel=1');
        const b = await four.run(alias, '--parallel=4');
        assert.equal(b.code, a.code, `${alias}: exit status\n${a.stderr}\n${b.stderr}`);
        if (a.code !== 0) continue;
        const [ja, jb] = [comparable(a.json(), one.dir), comparable(b.json(), four.dir)];
        for (const k of ['env', 'new_env', 'state', 'new_state', 'deps', 'tree'])
          assert.deepEqual(jb[k], ja[k], `${alias}: ${k}`);
      }
      one.cleanup();
      four.cleanup();
    });
});
