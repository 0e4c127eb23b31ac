import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  combine,
  conflictOf,
  conflicts,
  emptyFootprint,
  exportsOf,
  globsOverlap,
  hookChangesDeps,
  keysReadByMeta,
  keysReadBySelection,
  unknownFootprint,
  withAdr,
  type Exports,
  type SubtreeFootprint,
} from './dep-independence.js';

/** A footprint with the given parts (the rest empty); `plain` defaults to `env`. */
function fp(o: Partial<Omit<SubtreeFootprint, 'exports'>> & Partial<Exports>): SubtreeFootprint {
  const { env = [], lists = [], plain, state = [], ...rest } = o;
  return { ...emptyFootprint(), exports: { env, lists, plain: plain ?? env, state }, ...rest };
}

test('keysReadBySelection: conditions, update_tags_*, <<<VAR>>> anywhere, reuse_version', () => {
  const dep = {
    tags: 'get,tool,_v.<<<TOOL_VERSION>>>',
    names: ['tool'],
    enable_if_env: { USE_TOOL: ['yes'] },
    skip_if_any_env: { NO_TOOL: ['yes'] },
    skip_if_fake_run: true,
    update_tags_from_env: ['TOOL_TAGS'],
    update_tags_from_env_with_prefix: { '_path.': ['TOOL_PATH'], '_x.': 'TOOL_X' },
    update_tags_if_env: { _cuda: { enable_if_env: { USE_CUDA: ['yes'] } } },
    env: { TOOL_HOME: '<<<HOME_DIR>>>/tool' },
    version_min: '<<<MIN_TOOL>>>',
    reuse_version: true,
  };
  assert.deepEqual(keysReadBySelection(dep, {}, 'CM_'), [
    'CM_TMP_FAKE_RUN',
    'CM_VERSION',
    'CM_VERSION_MAX',
    'CM_VERSION_MAX_USABLE',
    'CM_VERSION_MIN',
    'HOME_DIR',
    'MIN_TOOL',
    'NO_TOOL',
    'TOOL_PATH',
    'TOOL_TAGS',
    'TOOL_VERSION',
    'TOOL_X',
    'USE_CUDA',
    'USE_TOOL',
  ]);
});

test('keysReadBySelection: an adr update for its names adds what it reads, and its conditions', () => {
  const dep = { tags: 'get,python', names: ['python', 'python3'] };
  const adr = {
    python3: { version: '<<<PY_VERSION>>>', enable_if_env: { PIN_PY: ['yes'] } },
    other: { env: { X: '<<<NOT_MINE>>>' } },
  };
  assert.deepEqual(keysReadBySelection(dep, adr, 'MLC_'), ['PIN_PY', 'PY_VERSION']);
  assert.deepEqual(withAdr(dep, adr), { ...dep, version: '<<<PY_VERSION>>>' });
  assert.equal(withAdr(dep, {}), dep, 'no update: the entry itself, not a copy');
});

test('keysReadByMeta: update_meta_if_env, default_env, <<<VAR>>>, cache keys, engine keys', () => {
  const meta = {
    default_env: { OPT_LEVEL: '2' },
    env: { OUT: '<<<WORK>>>/out' },
    update_meta_if_env: [{ enable_if_env: { ARCH: ['arm64'] }, env: { ARM: 'yes' } }],
    variations: {
      cuda: {
        default_env: { CUDA_ARCH: 'sm_80' },
        update_meta_if_env: [{ skip_if_env: { NO_GPU: ['yes'] } }],
      },
    },
    versions: { '1.0': { env: { V: '<<<V1>>>' } } },
    extra_cache_tags_from_env: [{ env: 'TAG_SRC', prefix: 't-' }],
    cache_key_env: ['URL'],
    env_key_mappings: { HOST_: 'CM_HOST_' },
    docker: { mounts: ['<<<DATA>>>:/data'] },
  };
  const keys = keysReadByMeta(meta, 'CM_');
  for (const k of [
    'OPT_LEVEL',
    'WORK',
    'ARCH',
    'CUDA_ARCH',
    'NO_GPU',
    'V1',
    'TAG_SRC',
    'URL',
    'HOST_*',
    'CM_VERSION',
    'CM_VERSION_MIN',
    'CM_NAME',
    'CM_TMP_*',
  ])
    assert.ok(keys.includes(k), k);
  assert.ok(!keys.includes('DATA'), 'a docker mount is not expanded by a plain run');
  assert.ok(keysReadByMeta({}, 'MLC_').includes('MLC_VERSION'));
});

test('exportsOf: variations add patterns, +KEY is a list named KEY, <<<VAR>>> and * mean any', () => {
  const meta = { new_env_keys: ['CM_TOOL_*', '+PATH', '+;MY_LIST'], new_state_keys: ['tool'] };
  assert.deepEqual(exportsOf(meta, [{ new_env_keys: ['CM_EXTRA'] }], ''), {
    env: ['CM_EXTRA', 'CM_TOOL_*', 'MY_LIST', 'PATH'],
    lists: ['MY_LIST', 'PATH'],
    plain: ['CM_EXTRA', 'CM_TOOL_*'],
    state: ['tool'],
  });
  assert.equal(exportsOf({ new_env_keys: ['<<<NAME>>>'] }, [], '').env, '*');
  assert.equal(exportsOf({}, [{ new_env_keys: ['*'] }], '').plain, '*');
  assert.equal(exportsOf({}, [], '').env.length, 0);
});

test('exportsOf: a hook that changes the export lists, the deps or runs another script may export anything', () => {
  const meta = { new_env_keys: ['CM_A'] };
  for (const hook of [
    "meta['new_env_keys'].append('CM_B')",
    "r = automation.update_deps({'deps': deps, 'update_deps': {}})",
    "return {'return': 0, 'skip': True, 'script': {'tags': 'other'}}",
    'meta.deps.push({ tags: "x" })',
  ])
    assert.equal(exportsOf(meta, [], hook).env, '*', hook);
  assert.deepEqual(exportsOf(meta, [], "env['CM_A'] = 'x'\nreturn {'return': 0}").env, ['CM_A']);
  assert.ok(hookChangesDeps("meta['post_deps'] = []"));
  assert.ok(!hookChangesDeps("print(len(meta['deps']))"));
});

test('globsOverlap: literal, *, ? on either side', () => {
  const table: Array<[string, string, boolean]> = [
    ['CM_A', 'CM_A', true],
    ['CM_A', 'CM_B', false],
    ['CM_PYTHON_*', 'CM_PYTHON_BIN', true],
    ['CM_PYTHON_*', 'CM_PY*', true],
    ['CM_*_PATH', '*_BIN', false],
    ['CM_*_PATH', 'CM_X_*', true],
    ['*', 'ANYTHING', true],
    ['CM_?', 'CM_AB', false],
    ['CM_??', 'CM_A*', true],
    ['A*B*C', '*X*', true],
    ['A*', 'B*', false],
  ];
  for (const [a, b, want] of table) {
    assert.equal(globsOverlap(a, b), want, `${a} vs ${b}`);
    assert.equal(globsOverlap(b, a), want, `${b} vs ${a}`);
  }
});

test('conflictOf: a later dep that reads what the earlier one exports must wait', () => {
  const a = fp({ env: ['CM_PYTHON_*'] });
  assert.match(conflictOf(a, fp({ reads: new Set(['CM_PYTHON_VERSION']) }))!, /reads CM_PYTHON_\*/);
  assert.equal(conflictOf(a, fp({ reads: new Set(['CM_GCC_VERSION']) })), undefined);
  assert.ok(conflicts(fp({ env: ['X'] }), fp({ reads: '*' })), 'reads anything');
  assert.ok(conflicts(fp({ env: '*' }), fp({ reads: new Set(['Y']) })));
  assert.ok(!conflicts(emptyFootprint(), fp({ reads: '*' })), 'nothing exported, nothing to read');
  assert.ok(conflicts(unknownFootprint(), fp({ reads: new Set(['Y']) })));
});

test('conflictOf: two deps exporting one plain key or state key are not independent; + lists are', () => {
  assert.match(conflictOf(fp({ env: ['CM_X'] }), fp({ env: ['CM_*'] }))!, /both may export/);
  const path = fp({ env: ['PATH'], lists: ['PATH'], plain: [] });
  assert.equal(conflictOf(path, path), undefined, '+PATH from both merges the same in any order');
  const s = (k: string) => fp({ state: [k] });
  assert.match(conflictOf(s('tool'), s('tool'))!, /both may export tool/);
});

test('conflictOf: a path-like, + list or non-CM export reaches whatever a later dep runs', () => {
  const path = fp({ env: ['PATH'], lists: ['PATH'], plain: [] });
  const runs = fp({ runsSomething: true });
  assert.match(conflictOf(path, runs)!, /\+PATH/);
  assert.equal(conflictOf(path, emptyFootprint()), undefined, 'nothing runs there');
  assert.ok(conflicts(fp({ env: ['CUDA_HOME'] }), runs));
  assert.ok(!conflicts(fp({ env: ['CM_CUDA_HOME'] }), runs), 'a CM_ key must be named to be read');
});

test("conflictOf: a key named in the later dep's run.sh or hook counts as read", () => {
  const a = fp({ env: ['CM_PYTHON_*'] });
  const b = fp({
    runsSomething: true,
    fileText: ['#!/bin/bash\n"${CM_PYTHON_BIN_WITH_PATH}" -V\n'],
  });
  assert.match(conflictOf(a, b)!, /name CM_PYTHON_\*/);
  const c = fp({ runsSomething: true, fileText: ['echo $CM_PYTHONX_BIN $XCM_PYTHON_BIN'] });
  assert.equal(conflictOf(a, c), undefined, 'whole identifiers only');
});

test('conflictOf: hooks exclusive by default; two deps running something in the caller folder wait', () => {
  const h = fp({ hooks: true, runsSomething: true });
  assert.equal(conflictOf(h, h), 'both run hooks');
  assert.equal(conflictOf(h, h, { exclusiveHooks: false }), undefined);
  const f = fp({ usesCallerFolder: true, runsSomething: true });
  assert.match(conflictOf(f, f)!, /same folder/);
  assert.equal(conflictOf(f, fp({ runsSomething: true })), undefined, 'one in an entry of its own');
});

test('combine: reads, exports and flags united; * absorbs', () => {
  const a = fp({ reads: new Set(['A']), env: ['X'], fileText: ['t1'] });
  const b = fp({ reads: new Set(['B']), env: ['Y'], hooks: true, fileText: ['t1', 't2'] });
  const c = combine(a, b);
  assert.deepEqual([...(c.reads as Set<string>)].sort(), ['A', 'B']);
  assert.deepEqual(c.exports.env, ['X', 'Y']);
  assert.equal(c.hooks, true);
  assert.deepEqual(c.fileText, ['t1', 't2']);
  assert.equal(combine(a, unknownFootprint()).reads, '*');
  assert.equal(combine(a, unknownFootprint()).exports.state, '*');
});
