// End-to-end: dependencies of scripts (spec §6, acceptance scenarios S34–S49), through the CLI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel } from './helpers.js';
import { scriptSandbox } from './script-fixtures.js';

const log = (text) => `echo "${text}" >> "$CM_TMP_CURRENT_PATH/log.txt"`;
const hookLog = `import { appendFileSync } from 'node:fs';
const L = (i, s) => appendFileSync(i.env.CM_TMP_CURRENT_PATH + '/log.txt', s + '\\n');
export function predeps(i) { L(i, 'predeps'); return { return: 0 }; }
export function preprocess(i) { L(i, 'preprocess'); return { return: 0 }; }
export function postprocess(i) { L(i, 'postprocess'); return { return: 0 }; }`;

function orderScripts(cache) {
  return {
    order: {
      meta: {
        tags: ['t', 'order'],
        cache,
        deps: [{ tags: 'x,a' }, { tags: 'x,d', dynamic: true }],
        prehook_deps: [{ tags: 'x,b' }],
        posthook_deps: [{ tags: 'x,c' }],
        post_deps: [{ tags: 'x,e' }],
      },
      run: log('run.sh'),
      customize: hookLog,
    },
    a: { meta: { tags: ['x', 'a'] }, run: log('deps') },
    b: { meta: { tags: ['x', 'b'] }, run: log('prehook') },
    c: { meta: { tags: ['x', 'c'] }, run: log('posthook') },
    d: { meta: { tags: ['x', 'd'] }, run: log('dynamic-dep') },
    e: { meta: { tags: ['x', 'e'] }, run: log('post_deps') },
  };
}

const echo = {
  meta: {
    tags: ['t', 'echo'],
    new_env_keys: ['E_*'],
    variations: {
      red: { group: 'color', env: { E_COLOR: 'red' } },
      blue: { group: 'color', default: true, env: { E_COLOR: 'blue' } },
      big: { env: { E_SIZE: 'big' } },
      'ver.#': { env: { E_VER: '#' } },
    },
  },
  run: [
    'echo "E_LAST=${E_COLOR}" > tmp-run-env.out',
    log(
      'echo color=$E_COLOR size=$E_SIZE ver=$E_VER tmp=$CM_TMP_X git=$CM_GIT_X local=$P_LOCALKEY depenv=$E_DEPENV vmin=$CM_VERSION_MIN v=$CM_VERSION',
    ),
  ].join('\n'),
};

const parent = {
  meta: {
    tags: ['t', 'parent'],
    default_env: { P_SRC: 'src1' },
    env: { CM_TMP_X: '1', CM_GIT_X: '1', P_LOCALKEY: '1' },
    local_env_keys: ['P_LOCALKEY'],
    new_env_keys: ['E_*'],
    variations: {
      red: { group: 'color' },
      blue: { group: 'color', default: true },
      big: {},
      'ver.#': {},
    },
    deps: [
      { tags: 't,echo', inherit_variation_tags: true, names: ['model'] },
      { tags: 't,echo,_red', force_env_keys: ['CM_TMP_*'], env: { E_DEPENV: 'dep-<<<P_SRC>>>' } },
      {
        tags: 't,echo',
        update_tags_from_env_with_prefix: { '_ver.': ['P_SRC'] },
        version_min: '1.2',
      },
      { tags: 't,echo', enable_if_env: { W: ['yes'] } },
      { tags: 't,echo,_big', skip_if_env: { P_SRC: ['src1'] } },
    ],
  },
  run: log('parent sees color=$E_COLOR tmp=$CM_TMP_X git=$CM_GIT_X local=$P_LOCALKEY'),
};

describe('script deps', parallel, () => {
  test('S34: predeps, deps, preprocess, prehook, run.sh, posthook, postprocess, post_deps in this order', async () => {
    const s = scriptSandbox(orderScripts(false));
    const r = await s.run('t order');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(s.log().trim().split('\n'), [
      'predeps',
      'deps',
      'dynamic-dep',
      'preprocess',
      'prehook',
      'run.sh',
      'posthook',
      'postprocess',
      'post_deps',
    ]);
    s.cleanup();
  });

  test('S35: a cache hit runs only the dynamic deps', async () => {
    const s = scriptSandbox(orderScripts(true));
    assert.equal((await s.run('t order')).code, 0);
    writeFileSync(join(s.dir, 'log.txt'), '');
    const r = await s.run('t order');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(s.log().trim().split('\n'), ['dynamic-dep']);
    s.cleanup();
  });

  test('S38–S43: local keys withheld, force_env_keys, dep env, siblings, inherited variations, tags from env', async () => {
    const s = scriptSandbox({ echo, parent });
    const r = await s.runJ('t parent _big _ver.9');
    assert.deepEqual(r.deps, ['t,echo,_big,_ver.9,_blue', 't,echo,_red', 't,echo,_ver.src1']);
    const lines = s.log().trim().split('\n');
    // S38: CM_TMP_*, CM_GIT_* and local_env_keys are not passed, force_env_keys re-adds CM_TMP_*.
    assert.equal(lines[0], 'echo color=blue size=big ver=9 tmp= git= local= depenv= vmin= v=');
    // S39/S40: dep env expanded against the parent env; sibling sees the first dep's export E_SIZE.
    assert.equal(
      lines[1],
      'echo color=red size=big ver=9 tmp=1 git= local= depenv=dep-src1 vmin= v=',
    );
    // S43/S44: update_tags_from_env_with_prefix and version_min of a dep become the child's inputs.
    assert.equal(
      lines[2],
      'echo color=blue size=big ver=src1 tmp= git= local= depenv=dep-src1 vmin=1.2 v=',
    );
    // The parent's own run.sh sees everything.
    assert.equal(lines[3], 'parent sees color=blue tmp=1 git=1 local=1');
    assert.equal(r.new_env.E_LAST, 'blue');
    s.cleanup();
  });

  test('S36/S37: enable_if_env takes any true value; skip_if_env skips; the plan names the condition', async () => {
    const s = scriptSandbox({ echo, parent });
    const off = await s.runJ('t parent');
    assert.equal(off.deps.length, 3);
    const on = await s.runJ('t parent', '--env.W=on');
    assert.deepEqual(on.deps.at(-1), 't,echo');
    const plan = await s.run('t parent', '--dry-run');
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(
      plan.stdout,
      /"t,echo,_big"\s+\[skipped: skip_if_env: P_SRC=\["src1"\] \(now "src1"\)\]/,
    );
    assert.match(
      plan.stdout,
      /"t,echo"\s+\[skipped: enable_if_env not met: W=\["yes"\] \(now unset\)\]/,
    );
    assert.match(plan.stdout, /parent\s+\[will run\]\s+_blue \(default of group color\)/);
    s.cleanup();
  });

  test('--dry-run runs nothing and shows cached deps with their entry', async () => {
    const s = scriptSandbox({
      top: { meta: { tags: ['t', 'top'], deps: [{ tags: 't,lib' }] }, run: log('top') },
      lib: { meta: { tags: ['t', 'lib'], cache: true, default_version: '1.0' }, run: log('lib') },
    });
    const before = await s.run('t top', '--dry-run');
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /top\s+\[will run\]/);
    assert.match(before.stdout, /└─ lib\s+\[will run\]\s+version 1\.0 \(default_version\)/);
    assert.throws(() => s.log(), /ENOENT/);
    assert.equal((await s.run('t top')).code, 0);
    const after = await s.run('t top', '--dry-run');
    assert.match(after.stdout, /└─ lib\s+\[cached: .*cache\/[0-9a-f]{16}\]/);
    assert.deepEqual(s.log().trim().split('\n'), ['lib', 'top']);
    s.cleanup();
  });

  test('S45: --ad applies to a direct dep, an unknown name is an error; --adr reaches named deps', async () => {
    const s = scriptSandbox({ echo, parent });
    const bad = await s.run('t parent', '--ad.nosuch.tags=_x');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /nosuch is not one of the dependency names of script parent/);
    assert.match(bad.stderr, /dependency names: model/);
    const r = await s.runJ('t parent', '--adr.model.tags=_big', '--ad.model.version=7.7');
    assert.equal(r.deps[0], 't,echo,_big,_blue');
    assert.match(s.log().split('\n')[0], /size=big .* v=7\.7$/);
    s.cleanup();
  });

  test('S47: --fake_deps records deps without running them; --fake_run runs deps but not the script', async () => {
    const s = scriptSandbox({ echo, parent });
    const r = await s.runJ('t parent', '--fake_deps');
    assert.deepEqual(r.deps, ['t,echo,_blue', 't,echo,_red', 't,echo,_ver.src1']);
    assert.deepEqual(s.log().trim().split('\n'), ['parent sees color= tmp=1 git=1 local=1']);
    writeFileSync(join(s.dir, 'log.txt'), '');
    const f = await s.runJ('t parent', '--fake_run');
    assert.equal(f.deps.length, 3);
    const lines = s.log().trim().split('\n');
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => l.startsWith('echo ')));
    s.cleanup();
  });

  test('--fake_run --fake_deps reports what the reference reports: withheld keys are not given back', async () => {
    const s = scriptSandbox({
      a: { meta: { tags: ['x', 'a'] }, run: log('a') },
      b: { meta: { tags: ['x', 'b'] }, run: log('b') },
      top: {
        meta: {
          tags: ['t', 'quirk'],
          env: { T_LATER: '<<<T_NOT_SET>>>', T_PLAIN: 'p' },
          new_env_keys: ['T_*'],
          deps: [{ tags: 'x,a' }],
          prehook_deps: [{ tags: 'x,b', skip_if_fake_run: true }],
        },
        run: log('top'),
      },
    });
    // As the reference: after the first dep list CM_TMP_FAKE_RUN is gone, so the prehook dep
    // is listed, and T_LATER (unresolved) is not in the env reported.
    const both = await s.runJ('t quirk', '--fake_run', '--fake_deps');
    assert.deepEqual(both.deps, ['x,a', 'x,b']);
    assert.equal(both.env.T_LATER, undefined);
    assert.equal(both.env.T_PLAIN, 'p');
    // A real run with --fake_deps alone gets every key back (the script itself runs).
    const run = await s.runJ('t quirk', '--fake_deps');
    assert.deepEqual(run.deps, ['x,a', 'x,b']);
    assert.deepEqual(s.log().trim().split('\n'), ['top']);
    // --fake_run alone: the prehook dep is skipped as its condition says.
    writeFileSync(join(s.dir, 'log.txt'), '');
    const fake = await s.runJ('t quirk', '--fake_run');
    assert.deepEqual(fake.deps, ['x,a']);
    s.cleanup();
  });

  test('S48: a failing dep stops the parent with rc 2, the script path, exit status and output tail', async () => {
    const s = scriptSandbox({
      top: { meta: { tags: ['t', 'top'], deps: [{ tags: 't,bad' }] }, run: log('top ran') },
      bad: { meta: { tags: ['t', 'bad'] }, run: 'echo some output; echo oops >&2; exit 3' },
    });
    const r = await s.run('t top');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /Portable CM script failed \(name = bad, script = .*script\/bad\/run\.sh, exit status = 3\)/,
    );
    assert.match(r.stderr, /last lines of its output:\n\s+some output\n\s+oops/);
    assert.throws(() => s.log(), /ENOENT/);
    s.cleanup();
  });

  test('a dependency cycle is reported with its path; a dep matching nothing names the parent', async () => {
    const s = scriptSandbox({
      cyc1: { meta: { tags: ['t', 'cyc1'], deps: [{ tags: 't,cyc2' }] }, run: 'true' },
      cyc2: { meta: { tags: ['t', 'cyc2'], deps: [{ tags: 't,cyc1' }] }, run: 'true' },
      missing: {
        meta: { tags: ['t', 'missing'], deps: [{ tags: 'get,nothing', names: ['nothing'] }] },
        run: 'true',
      },
    });
    const c = await s.run('t cyc1');
    assert.equal(c.code, 8);
    assert.match(c.stderr, /dependency cycle: cyc1 -> cyc2 -> cyc1/);
    const m = await s.run('t missing');
    assert.equal(m.code, 16);
    assert.match(
      m.stderr,
      /dependency "get,nothing" of script "missing" \(deps, names nothing\) matched no script/,
    );
    assert.match(m.stderr, /the dep is in .*script\/missing/);
    s.cleanup();
  });

  test('S49: preprocess skip returns skipped and leaves env alone; skip with script runs that one', async () => {
    const s = scriptSandbox({
      echo,
      skipper: {
        meta: { tags: ['t', 'skipper'], new_env_keys: ['E_*'] },
        run: log('skipper ran'),
        customize: `export function preprocess(i) { i.env.E_POLLUTE = 'x'; return i.env.E_OTHER ? { return: 0, skip: true, script: { tags: 't,echo,_red' } } : { return: 0, skip: true }; }`,
      },
    });
    const r = await s.runJ('t skipper');
    assert.equal(r.skipped, true);
    assert.deepEqual(r.new_env, {});
    assert.throws(() => s.log(), /ENOENT/);
    const o = await s.runJ('t skipper', '--env.E_OTHER=1');
    assert.equal(o.new_env.E_LAST, 'red');
    assert.match(s.log(), /echo color=red/);
    s.cleanup();
  });

  test('unknown dep keys become inputs of the child run (input → CM_INPUT); S30 top-level --input is not passed', async () => {
    const s = scriptSandbox({
      child: { meta: { tags: ['t', 'child'] }, run: log('child input=$CM_INPUT') },
      top: {
        meta: {
          tags: ['t', 'top'],
          deps: [{ tags: 't,child', input: '/some/file' }, { tags: 't,child' }],
        },
        run: log('top input=$CM_INPUT'),
      },
    });
    const r = await s.run('t top', '--input=f');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(s.log().trim().split('\n'), [
      'child input=/some/file',
      'child input=',
      'top input=f',
    ]);
    s.cleanup();
  });
});
