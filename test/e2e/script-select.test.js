// End-to-end: `cm run script` selection (tags, negative tags, sort order, names, interactive
// choice, not-found messages) and variation resolution (spec §4, acceptance scenarios S1–S25).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCm } from '../../dist/index.js';
import { parallel } from './helpers.js';
import { scriptSandbox, uidOf, V_VARIATIONS } from './script-fixtures.js';

/** Lines of the sandbox's log.txt ([] when nothing was logged). */
function logLines(s) {
  const p = join(s.dir, 'log.txt');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
}

/** A script that only logs its name (run in the caller's folder: not cached). */
const logs = (tags, extra = {}) => ({
  meta: { tags, ...extra },
  run: `echo "$(basename "$CM_TMP_CURRENT_SCRIPT_PATH")" >> log.txt`,
});

/** d1 and d2 share tags t,dup (S2–S7). */
const dups = (sort1, sort2) => ({
  't-dup1': logs(['t', 'dup', 'dup1'], sort1 === undefined ? {} : { sort: sort1 }),
  't-dup2': logs(['t', 'dup', 'dup2'], sort2 === undefined ? {} : { sort: sort2 }),
});

/** Meta `V` of section B (S13–S17). */
const V = {
  tags: ['v'],
  default_env: { T_PREC: 'none' },
  new_env_keys: ['T_*'],
  variations: V_VARIATIONS,
};

/** A script with color/size variations (S8, S18, S19). */
const ECHO = {
  tags: ['t', 'echo'],
  new_env_keys: ['E_*'],
  variations: {
    red: { group: 'color', env: { E_COLOR: 'red' } },
    blue: { group: 'color', env: { E_COLOR: 'blue' } },
    big: { env: { E_SIZE: 'big' } },
    'big,red': { env: { E_COMBO: 'big-red' } },
    preset: { base: ['big'], default_variations: { color: 'red' }, env: { E_PRESET: 'yes' } },
  },
};

function libraryCm(s, answers) {
  const asked = [];
  const cm = createCm({
    home: s.home,
    cwd: s.dir,
    interactive: true,
    ask: async (q) => {
      asked.push(q);
      return answers.length ? answers.shift() : '';
    },
  });
  return { cm, asked };
}

describe('cm run script: selection by tags and names', parallel, () => {
  test('S1: quoted tags select the script like --tags and the log line shows them', async () => {
    const s = scriptSandbox({ x: logs(['t', 'hello']), y: logs(['t', 'other']) });
    const r = await s.run('t hello');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\* cm run script "t hello"$/m);
    const r2 = await s.run('--tags=t,hello');
    assert.equal(r2.code, 0, r2.stderr);
    assert.deepEqual(logLines(s), ['x', 'x']);
    s.cleanup();
  });

  test('S1: "t,hello" (tags with commas, as mlcr takes them) selects like --tags; alias,uid stays a name', async () => {
    const s = scriptSandbox({ x: logs(['t', 'hello']), y: logs(['t', 'other']) });
    const r = await s.run('t,hello');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(logLines(s), ['x']);
    const byName = await s.run('x,0123456789abcdef');
    assert.notEqual(byName.code, 0, 'an alias,uid pair is a name, not tags');
    assert.doesNotMatch(byName.stderr, /no scripts were found with above tags/);
    s.cleanup();
  });

  test('S1/Q9: quoted tags are added to --tags instead of replacing them', async () => {
    // "t hello" alone picks a-other (first by path); with --tags=special kept only x matches.
    const s = scriptSandbox({
      'a-other': logs(['t', 'hello', 'other']),
      x: logs(['t', 'hello', 'special']),
    });
    const r = await s.run('t hello', '--tags=special');
    assert.equal(r.code, 0, r.stderr);
    const r2 = await s.run('t hello', '--tags=nosuch');
    assert.equal(r2.code, 16, 'tags t,hello,nosuch match no script');
    assert.match(r2.stderr, /no scripts were found with above tags/);
    assert.deepEqual(logLines(s), ['x']);
    s.cleanup();
  });

  test('S2: a negative tag drops the scripts that have it', async () => {
    const s = scriptSandbox(dups());
    assert.equal((await s.run('t dup -dup2')).code, 0);
    assert.equal((await s.run('--tags=t,dup,-dup1')).code, 0);
    assert.deepEqual(logLines(s), ['t-dup1', 't-dup2']);
    s.cleanup();
  });

  test('S3: a tag both included and excluded is an error (return 1)', async () => {
    const s = scriptSandbox(dups());
    const r = await s.run('t dup -dup');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /CM error: .*common tags \{'dup'\} in the included and excluded lists/);
    assert.match(r.stderr, /^ {2}hint: /m);
    assert.deepEqual(logLines(s), []);
    s.cleanup();
  });

  test('S4: with --quiet the lowest sort wins, then the path', async () => {
    const s = scriptSandbox(dups(2, 1));
    assert.equal((await s.run('t dup')).code, 0);
    s.writeScripts(dups());
    assert.equal((await s.run('t dup')).code, 0);
    s.writeScripts(dups(undefined, -1));
    assert.equal((await s.run('t dup')).code, 0);
    assert.deepEqual(logLines(s), ['t-dup2', 't-dup1', 't-dup2']);
    s.cleanup();
  });

  test('S5: interactive selection (library API): the answer picks the listed script', async () => {
    const s = scriptSandbox(dups());
    const { cm, asked } = libraryCm(s, ['1', '', '7']);
    const r1 = await cm.access({ action: 'run', automation: 'script', tags: 't,dup' });
    assert.equal(r1.return, 0, r1.error);
    assert.equal(asked.length, 1);
    const q = asked[0];
    assert.ok(q.indexOf('0) ') < q.indexOf('1) '), q);
    assert.match(q, /0\) \S*t-dup1 \(t,dup,dup1\)/);
    assert.match(q, /1\) \S*t-dup2 \(t,dup,dup2\)/);
    // Enter → 0; out of range → 0.
    assert.equal(
      (await cm.access({ action: 'run', automation: 'script', tags: 't,dup' })).return,
      0,
    );
    assert.equal(
      (await cm.access({ action: 'run', automation: 'script', tags: 't,dup' })).return,
      0,
    );
    assert.equal(asked.length, 3);
    assert.deepEqual(logLines(s), ['t-dup2', 't-dup1', 't-dup1']);
    // quiet: no question, the first one.
    const r4 = await cm.access({ action: 'run', automation: 'script', tags: 't,dup', quiet: true });
    assert.equal(r4.return, 0, r4.error);
    assert.equal(asked.length, 3);
    assert.deepEqual(logLines(s), ['t-dup2', 't-dup1', 't-dup1', 't-dup1']);
    s.cleanup();
  });

  test('S6: a selection is remembered for the other deps of the same run', async () => {
    const s = scriptSandbox({
      ...dups(),
      p: {
        meta: { tags: ['p6'], deps: [{ tags: 't,dup' }, { tags: 't,dup' }] },
        run: 'echo p >> log.txt',
      },
    });
    const { cm, asked } = libraryCm(s, ['1']);
    const r = await cm.access({ action: 'run', automation: 'script', tags: 'p6' });
    assert.equal(r.return, 0, r.error);
    assert.equal(asked.length, 1);
    assert.deepEqual(logLines(s), ['t-dup2', 't-dup2', 'p']);
    s.cleanup();
  });

  test('S7: a script is named by alias, uid, alias,uid or a wildcard; names AND --tags', async () => {
    const s = scriptSandbox(dups());
    assert.equal((await s.run('t-dup2')).code, 0);
    assert.equal((await s.run(uidOf('t-dup1'))).code, 0);
    assert.equal((await s.run(`t-dup2,${uidOf('t-dup2')}`)).code, 0);
    assert.equal((await s.run('t-d*', '--tags=dup2')).code, 0);
    assert.equal((await s.run('local:t-dup1')).code, 0);
    const r = await s.run('t-dup1', '--tags=dup2');
    assert.equal(r.code, 16);
    assert.match(r.stderr, /no scripts were found with above tags/);
    assert.deepEqual(logLines(s), ['t-dup2', 't-dup1', 't-dup2', 't-dup2', 't-dup1']);
    s.cleanup();
  });

  test('S8: alias plus a quoted second artifact of variations (cmr t-echo "_red _big")', async () => {
    const s = scriptSandbox({ 't-echo': { meta: ECHO } });
    const r = await s.runJ('t-echo', '_red _big');
    assert.deepEqual(r.new_env, { E_COLOR: 'red', E_SIZE: 'big', E_COMBO: 'big-red' });
    const viaCmr = await s.bin('cmr', 't-echo', '_blue,_big', '--quiet', '-j', '-s');
    assert.equal(viaCmr.code, 0, viaCmr.stderr);
    assert.deepEqual(viaCmr.json().new_env, { E_COLOR: 'blue', E_SIZE: 'big' });
    s.cleanup();
  });

  test('S9: tags that match nothing: return 16, the unknown tag and the near candidates', async () => {
    const s = scriptSandbox({ x: logs(['t', 'hello']), y: logs(['t', 'world', 'extra']) });
    const r = await s.run('t hellp');
    assert.equal(r.code, 16);
    assert.match(
      r.stderr,
      /CM error: no scripts were found with above tags \(when variations ignored\): "t hellp"/,
    );
    assert.match(r.stderr, /no script has tag "hellp" \(did you mean "hello"\?\)/);
    assert.match(
      r.stderr,
      /near candidates:\n\s+x \(tags t,hello\) lacks tag "hellp" \(has "hello"\)/,
    );
    assert.doesNotMatch(
      r.stderr,
      /\by \(tags/,
      'y shares only "t" and has nothing close to "hellp"',
    );
    // One shared tag of two is not most of them: no near candidates, the way to list them.
    const far = await s.run('t greting');
    assert.equal(far.code, 16);
    assert.doesNotMatch(far.stderr, /near candidates/);
    assert.match(far.stderr, /cm find script --tags=t lists the scripts with the other tags/);
    const neg = await s.run('t hello -hello');
    assert.equal(neg.code, 1, 'a tag both wanted and excluded is bad input');
    const excluded = await s.run('t extra -world');
    assert.equal(excluded.code, 16);
    assert.match(excluded.stderr, /y \(tags t,world,extra\) is excluded by -world/);
    assert.deepEqual(logLines(s), []);
    s.cleanup();
  });

  test('S9: an unknown script name: return 16 with the near names', async () => {
    const s = scriptSandbox(dups());
    const r = await s.run('t-dup3');
    assert.equal(r.code, 16);
    assert.match(r.stderr, /CM error: script t-dup3 not found/);
    assert.match(r.stderr, /hint: did you mean .*"t-dup1"/);
    s.cleanup();
  });

  test('S10: an unknown variation: return 16 listing the valid ones by group', async () => {
    const s = scriptSandbox({ v: { meta: V } });
    const r = await s.run('v _unknown');
    assert.equal(r.code, 16);
    assert.match(r.stderr, /no scripts were found with above tags and variations: "v _unknown"/);
    assert.match(r.stderr, /group prec: _fp16 _fp32/);
    assert.match(r.stderr, /no group: _bs\.# _full _o _onnx/);
    const near = await s.run('v _fp61');
    assert.equal(near.code, 16);
    assert.match(near.stderr, /did you mean _fp16/);
    s.cleanup();
  });

  test('S11: a dynamic variation without a value (_bs.) is unknown: return 16', async () => {
    const s = scriptSandbox({ v: { meta: V } });
    const r = await s.run('v _bs.');
    assert.equal(r.code, 16);
    assert.match(r.stderr, /_bs\./);
    const excluded = await s.run('v -_nosuch');
    assert.equal(excluded.code, 16, 'an excluded variation must exist too');
    s.cleanup();
  });

  test('S12: among several cached scripts the one with a cache entry wins, without asking', async () => {
    const s = scriptSandbox({});
    const cached = (name) => ({
      meta: { tags: ['t', 'cc'], cache: true },
      run: `echo ${name} >> "${join(s.dir, 'log.txt')}"`,
    });
    s.writeScripts({ c1: cached('c1'), c2: cached('c2') });
    const first = await s.runJ('c2');
    assert.ok(first.cache_entry, 'c2 made a cache entry');
    const { cm, asked } = libraryCm(s, ['0']);
    const r = await cm.access({ action: 'run', automation: 'script', tags: 't,cc' });
    assert.equal(r.return, 0, r.error);
    assert.deepEqual(asked, []);
    assert.equal(r.cache_entry, first.cache_entry);
    assert.deepEqual(logLines(s), ['c2']);
    s.cleanup();
  });
});

describe('cm run script: variations', parallel, () => {
  test('S13: the default of a group applies without variation tags', async () => {
    const s = scriptSandbox({ v: { meta: V } });
    const r = await s.runJ('v');
    assert.deepEqual(r.new_env, { T_PREC: 'fp32' });
    assert.deepEqual(
      r.tree.variations.map((x) => [x.name, x.from]),
      [['_fp32', 'default of group prec']],
    );
    s.cleanup();
  });

  test('S14: an alias adds its target and a combination applies over the singles', async () => {
    const s = scriptSandbox({ v: { meta: V } });
    const r = await s.runJ('v _fp16 _o');
    assert.deepEqual(r.new_env, { T_PREC: 'fp16', T_FMT: 'onnx', T_COMBO: 'onnx-fp16' });
    s.cleanup();
  });

  test('S15: a base variation and a dynamic value (_full _bs.8)', async () => {
    const s = scriptSandbox({ v: { meta: V } });
    const r = await s.runJ('v _full _bs.8');
    assert.deepEqual(r.new_env, { T_FMT: 'onnx', T_FULL: 'yes', T_BS: '8', T_PREC: 'fp32' });
    const dotted = await s.runJ('v _bs.1.2.3');
    assert.equal(dotted.new_env.T_BS, '1.2.3');
    s.cleanup();
  });

  test('S16: two variations of one group: return 1 naming the group', async () => {
    const s = scriptSandbox({ v: { meta: V } });
    const r = await s.run('v _fp16 _fp32');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Multiple variation tags selected for the variation group "prec"/);
    s.cleanup();
  });

  test('S17: -_x excludes a group default', async () => {
    const s = scriptSandbox({ v: { meta: V } });
    const r = await s.runJ('v -_fp32', '--new');
    assert.deepEqual(r.new_env, { T_PREC: 'none' });
    const both = await s.run('v _fp32 -_fp32');
    assert.equal(both.code, 1);
    s.cleanup();
  });

  test('S18: default_variations of a variation, overridden or excluded by the user', async () => {
    const s = scriptSandbox({ 't-echo': { meta: ECHO } });
    const preset = await s.runJ('t-echo', '--tags=_preset');
    assert.deepEqual(preset.new_env, {
      E_PRESET: 'yes',
      E_SIZE: 'big',
      E_COLOR: 'red',
      E_COMBO: 'big-red',
    });
    const blue = await s.runJ('t-echo', '_preset _blue');
    assert.deepEqual(blue.new_env, { E_PRESET: 'yes', E_SIZE: 'big', E_COLOR: 'blue' });
    const none = await s.runJ('t-echo', '_preset -_red');
    assert.deepEqual(none.new_env, { E_PRESET: 'yes', E_SIZE: 'big' });
    s.cleanup();
  });

  test('S19: excluding a base variation: return 1', async () => {
    const s = scriptSandbox({ 't-echo': { meta: ECHO } });
    const r = await s.run('t echo _preset -_big');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /base variation .*is in the excluded list/);
    s.cleanup();
  });

  test('S20: invalid_variation_combinations / valid_variation_combinations', async () => {
    const s = scriptSandbox({
      inv: {
        meta: {
          tags: ['inv'],
          variations: { a: {}, b: {}, c: {} },
          invalid_variation_combinations: [['a', 'b']],
        },
      },
      val: {
        meta: {
          tags: ['val'],
          variations: { a: {}, b: {} },
          valid_variation_combinations: [['a']],
        },
      },
    });
    const bad = await s.run('inv _a _b');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Invalid variation combination/);
    assert.equal((await s.run('inv _a _c')).code, 0);
    assert.equal((await s.run('val _a _b')).code, 0);
    const notValid = await s.run('val _b');
    assert.equal(notValid.code, 1);
    assert.match(notValid.stderr, /valid combinations/);
    s.cleanup();
  });

  test('S21: a variation dep with the same names replaces the base dep', async () => {
    const s = scriptSandbox({
      gx: logs(['get', 'x']),
      gy: logs(['get', 'y']),
      p: {
        meta: {
          tags: ['p21'],
          deps: [{ tags: 'get,x', names: ['x'] }],
          variations: { v: { deps: [{ tags: 'get,y', names: ['x'] }] } },
        },
      },
    });
    const plain = await s.runJ('--tags=p21');
    assert.deepEqual(plain.deps, ['get,x']);
    const withV = await s.runJ('p21 _v');
    assert.deepEqual(withV.deps, ['get,y']);
    assert.deepEqual(logLines(s), ['gx', 'gy']);
    s.cleanup();
  });

  test('S22: a variation script_name runs that file; a missing one: return 16', async () => {
    const s = scriptSandbox({
      sn: {
        meta: {
          tags: ['sn'],
          variations: { alt: { script_name: 'run-alt' }, gone: { script_name: 'run-gone' } },
        },
        run: 'echo run.sh >> log.txt',
        files: { 'run-alt.sh': '#!/bin/bash\necho run-alt.sh >> log.txt\n' },
      },
    });
    assert.equal((await s.run('sn')).code, 0);
    assert.equal((await s.run('sn _alt')).code, 0);
    const r = await s.run('sn _gone');
    assert.equal(r.code, 16);
    assert.match(r.stderr, /run-gone\.sh" not found/);
    assert.deepEqual(logLines(s), ['run.sh', 'run-alt.sh']);
    s.cleanup();
  });

  test('S23: a variation adr reaches the named dep and the grandchild of the same name', async () => {
    const s = scriptSandbox({
      p: {
        meta: {
          tags: ['p23'],
          deps: [{ tags: 'get,p', names: ['py'] }],
          variations: { v: { adr: { py: { tags: '_x' } } } },
        },
      },
      gp: {
        meta: {
          tags: ['get', 'p'],
          deps: [{ tags: 'get,q', names: ['py'] }],
          variations: { x: { env: { GP_X: 'yes' } } },
        },
        run: 'echo "gp $GP_X" >> log.txt',
      },
      gq: {
        meta: { tags: ['get', 'q'], variations: { x: { env: { GQ_X: 'yes' } } } },
        run: 'echo "gq $GQ_X" >> log.txt',
      },
    });
    const r = await s.runJ('p23 _v');
    assert.deepEqual(r.deps, ['get,p,_x']);
    assert.deepEqual(r.tree.deps[0].deps[0].tags, 'get,q,_x');
    assert.deepEqual(logLines(s), ['gq yes', 'gp yes']);
    await s.runJ('--tags=p23');
    assert.deepEqual(logLines(s).slice(2), ['gq', 'gp']);
    s.cleanup();
  });

  test('S24: a dynamic variation fills # in its deps', async () => {
    const s = scriptSandbox({
      p: {
        meta: { tags: ['p24'], variations: { 'pkg.#': { deps: [{ tags: 'get,lib,_name.#' }] } } },
      },
      lib: {
        meta: { tags: ['get', 'lib'], variations: { 'name.#': { env: { LIB_NAME: '#' } } } },
        run: 'echo "lib $LIB_NAME" >> log.txt',
      },
    });
    const r = await s.runJ('p24 _pkg.numpy');
    assert.deepEqual(r.deps, ['get,lib,_name.numpy']);
    assert.deepEqual(logLines(s), ['lib numpy']);
    s.cleanup();
  });

  test('S25: an alias variation with a group: return 1', async () => {
    const s = scriptSandbox({
      ag: {
        meta: {
          tags: ['ag'],
          variations: { onnx: { group: 'g' }, o: { alias: 'onnx', group: 'g' } },
        },
      },
    });
    const r = await s.run('ag _o');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Incompatible combinations: \(alias, group\)/);
    s.cleanup();
  });

  test('default_variation, a dynamic base kept off by a given value, combinations in any order', async () => {
    const s = scriptSandbox({
      w: {
        meta: {
          tags: ['w'],
          new_env_keys: ['T_*'],
          default_variation: 'onnx',
          variations: {
            onnx: { env: { T_FMT: 'onnx' } },
            tf: { env: { T_FMT: 'tf' } },
            'bs.#': { env: { T_BS: '#' } },
            full: { base: ['bs.1'], env: { T_FULL: 'yes' } },
            a: { env: { T_X: 'a' } },
            b: { env: { T_X: 'b' } },
            'a,b': { env: { T_X: 'ab' }, default_variations: { prec: 'fp16' } },
            fp32: { group: 'prec', default: true, env: { T_PREC: 'fp32' } },
            fp16: { group: 'prec', env: { T_PREC: 'fp16' } },
          },
        },
      },
    });
    assert.deepEqual((await s.runJ('w')).new_env, { T_FMT: 'onnx', T_PREC: 'fp32' });
    assert.deepEqual((await s.runJ('w _tf')).new_env, { T_FMT: 'tf', T_PREC: 'fp32' });
    assert.deepEqual((await s.runJ('w _full')).new_env, {
      T_BS: '1',
      T_FULL: 'yes',
      T_PREC: 'fp32',
    });
    assert.deepEqual((await s.runJ('w _full _bs.8')).new_env, {
      T_BS: '8',
      T_FULL: 'yes',
      T_PREC: 'fp32',
    });
    // The combination wins whatever the order and its default_variations pick fp16.
    assert.deepEqual((await s.runJ('w _b _a')).new_env, { T_X: 'ab', T_PREC: 'fp16' });
    assert.deepEqual((await s.runJ('w _a _b')).new_env, { T_X: 'ab', T_PREC: 'fp16' });
    s.cleanup();
  });

  test('bad variation metas: alias to a missing or excluded target, alias with default, two defaults', async () => {
    const s = scriptSandbox({
      w: {
        meta: {
          tags: ['w'],
          variations: {
            o: { alias: 'nothere' },
            p: { alias: 'q' },
            q: {},
            d: { alias: 'q', default: true },
          },
        },
      },
      two: {
        meta: {
          tags: ['two'],
          variations: { x1: { group: 'g', default: true }, x2: { group: 'g', default: true } },
        },
      },
    });
    const missing = await s.run('w _o');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /"_nothere", which does not exist/);
    const excluded = await s.run('w _p -_q');
    assert.equal(excluded.code, 1);
    assert.match(excluded.stderr, /"_q", which is excluded/);
    const withDefault = await s.run('w _d');
    assert.equal(withDefault.code, 1);
    assert.match(withDefault.stderr, /Incompatible combinations: \(alias, default\)/);
    const twoDefaults = await s.run('two');
    assert.equal(twoDefaults.code, 1);
    assert.match(twoDefaults.stderr, /Multiple defaults specified for the variation group "g"/);
    s.cleanup();
  });

  test('Q1: the cache key holds every resolved variation, defaults included', async () => {
    const s = scriptSandbox({});
    s.writeScripts({
      vc: {
        meta: { ...V, tags: ['vc'], cache: true },
        run: `echo "vc $T_PREC $T_FULL" >> "${join(s.dir, 'log.txt')}"`,
      },
    });
    const full = await s.runJ('vc _full');
    const plain = await s.runJ('vc');
    assert.notEqual(plain.cache_entry, full.cache_entry, '"vc" must not reuse the _full entry');
    const fp32 = await s.runJ('vc _fp32');
    assert.equal(fp32.cache_entry, plain.cache_entry, '_fp32 is the default: same entry');
    assert.deepEqual(fp32.new_env, { T_PREC: 'fp32' });
    const fullAgain = await s.runJ('vc _full _onnx');
    assert.equal(fullAgain.cache_entry, full.cache_entry);
    assert.deepEqual(logLines(s), ['vc fp32 yes', 'vc fp32']);
    s.cleanup();
  });
});
