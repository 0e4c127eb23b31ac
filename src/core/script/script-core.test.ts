import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareVersions,
  clampDefaultVersion,
  pipVersionString,
  versionViolation,
} from './versions.js';
import {
  conditionHolds,
  exportLines,
  expandEnv,
  filterKeys,
  mergeEnv,
  parseEnvOut,
  skipReason,
} from './env.js';
import { resolveVariations, splitScriptTags } from './variations.js';
import { appendDeps, depTags, updateDeps } from './deps.js';
import type { Dict } from '../merge.js';

describe('versions', () => {
  test('S63: 1.10 > 1.9, 3.9 == 3.9.0, 3.9.6 > 3.9; mixed parts have a total order', () => {
    assert.equal(compareVersions('1.10', '1.9'), 1);
    assert.equal(compareVersions('3.9', '3.9.0'), 0);
    assert.equal(compareVersions('3.9.6', '3.9'), 1);
    assert.equal(compareVersions('3.10', '3.rc1'), 1);
    assert.equal(compareVersions('3.rc1', '3.10'), -1);
    assert.equal(compareVersions('1.0.rc1', '1.0.rc2'), -1);
  });
  test('constraints, clamping and the pip string', () => {
    assert.equal(versionViolation('2.5', { version_min: '2.0' }), undefined);
    assert.match(versionViolation('1.5', { version_min: '2.0' })!, /below version_min 2.0/);
    assert.match(versionViolation('3', { version_max: '2.9' })!, /above version_max/);
    assert.equal(
      clampDefaultVersion('2.0.0', { version_max: '1.5', version_max_usable: '1.4' }),
      '1.4',
    );
    assert.equal(clampDefaultVersion('2.0.0', { version_min: '2.5' }), '2.5');
    assert.equal(pipVersionString({ version: '2.0.0' }), '==2.0.0');
    assert.equal(pipVersionString({ version_min: '1', version_max: '2' }), '>=1,<=2');
  });
});

describe('env', () => {
  test('S37: condition truth table', () => {
    for (const v of [undefined, '', 'no', false, 'False']) {
      const env: Dict = v === undefined ? {} : { K: v };
      assert.equal(conditionHolds(env, 'K', ['no']), true, `K=${String(v)}`);
    }
    assert.equal(conditionHolds({ K: 'yes' }, 'K', ['no']), false);
    assert.equal(conditionHolds({ K: 'ABC' }, 'K', ['abc']), true);
    assert.equal(conditionHolds({ K: 'abd' }, 'K', ['abc']), false);
    assert.equal(conditionHolds({ K: 'on' }, 'K', ['yes']), true);
    assert.equal(conditionHolds({ K: 'anything' }, 'K', ['yes']), true);
    assert.equal(conditionHolds({}, 'K', 'abc'), false);
    assert.equal(
      conditionHolds({ K: 'abc' }, 'K', 'abc'),
      true,
      'a scalar is [scalar] (QUIRK Q16 fixed)',
    );
    assert.match(
      skipReason({ skip_if_any_env: { A: ['yes'], B: ['yes'] } }, { B: 'yes' })!,
      /skip_if_any_env/,
    );
    assert.equal(skipReason({ skip_if_any_env: { A: ['yes'], B: ['yes'] } }, {}), undefined);
  });
  test('<<<VAR>>> expansion: single pass, unknown names stay', () => {
    const env: Dict = {
      P_SRC: 'src1',
      P_EXPAND: 'v=<<<P_SRC>>>',
      U: '<<<NOPE>>>',
      L: ['<<<P_SRC>>>/bin'],
    };
    expandEnv(env);
    assert.equal(env['P_EXPAND'], 'v=src1');
    assert.equal(env['U'], '<<<NOPE>>>');
    assert.deepEqual(env['L'], ['src1/bin']);
  });
  test('filters, +KEY lists, exports, tmp-run-env.out', () => {
    assert.deepEqual(filterKeys({ T_X: '1', X_HIDDEN: '2', N: 'T_X' }, ['T_*']), { T_X: '1' });
    assert.deepEqual(filterKeys({ T_X: '1', N: 'T_X' }, ['<<<N>>>']), { T_X: '1' });
    const env: Dict = { '+PATH': ['a'] };
    mergeEnv(env, { '+PATH': ['a', 'b'] });
    assert.deepEqual(env['+PATH'], ['a', 'b']);
    assert.throws(() => mergeEnv({}, { '+PATH': 'x' }), /List value expected for \+PATH/);
    assert.deepEqual(
      exportLines({ B: 'x"$y', '+ CXXFLAGS': ['-O3', '-g'], '+TPATH': ['/x/bin'], A: true }),
      [
        'export CXXFLAGS="-O3 -g ${CXXFLAGS}"',
        'export TPATH="/x/bin:${TPATH}"',
        'export A="True"',
        'export B="x\\"\\$y"',
      ],
    );
    assert.deepEqual(parseEnvOut('T_FROMRUN=hello=world\n\nX = 1\nnoequals\n'), {
      T_FROMRUN: 'hello=world',
      X: '1',
    });
  });
});

const V: Dict = {
  variations: {
    fp32: { group: 'prec', default: true, env: { T_PREC: 'fp32' } },
    fp16: { group: 'prec', env: { T_PREC: 'fp16' } },
    onnx: { env: { T_FMT: 'onnx' } },
    o: { alias: 'onnx' },
    'onnx,fp16': { env: { T_COMBO: 'onnx-fp16' } },
    'bs.#': { env: { T_BS: '#' } },
    full: { base: ['onnx'], env: { T_FULL: 'yes' } },
    big: {},
    red: { group: 'color' },
    blue: { group: 'color' },
    preset: { base: ['big'], default_variations: { color: 'red' } },
  },
};

describe('variations', () => {
  test('defaults, aliases, combinations, base and dynamic values, with their sources', () => {
    const a = resolveVariations('v', V, []);
    assert.deepEqual(a.tags, ['fp32']);
    assert.equal(a.sources['fp32'], 'default of group prec');
    const b = resolveVariations('v', V, ['fp16', 'o']);
    assert.deepEqual(b.tags, ['fp16', 'o', 'onnx']);
    assert.ok(b.apply.some((x) => x.key === 'onnx,fp16'));
    assert.equal(b.apply.at(-1)!.key, 'onnx,fp16', 'combinations are applied after the singles');
    const c = resolveVariations('v', V, ['full', 'bs.8']);
    assert.deepEqual(c.tags, ['full', 'bs.8', 'onnx', 'fp32']);
    assert.deepEqual(c.apply.find((x) => x.key === 'bs.8')!.meta, { env: { T_BS: '8' } });
    assert.equal(c.sources['onnx'], 'base of _full');
    assert.equal(c.tagsString, '_full,_bs.8,_onnx,_fp32');
  });
  test('combinations: after each single (CM), or once after all singles (MLC)', () => {
    const X = { variations: { a: {}, b: {}, 'a,b': { env: { AB: '1' } } } };
    assert.deepEqual(
      resolveVariations('x', X, ['a', 'b']).apply.map((x) => x.key),
      ['a', 'a,b', 'b', 'a,b'],
    );
    assert.deepEqual(
      resolveVariations('x', X, ['a', 'b'], true).apply.map((x) => x.key),
      ['a', 'b', 'a,b'],
    );
  });
  test('a group default as published metas write it ("default: true," is the string "true,")', () => {
    const W = {
      a: { group: 'g', default: 'true,' },
      b: { group: 'g' },
      c: { group: 'h', default: false },
      d: { group: 'h' },
    };
    assert.deepEqual(resolveVariations('w', { variations: W }, []).tags, ['a']);
  });
  test('exclusions, default_variations, errors', () => {
    assert.deepEqual(resolveVariations('v', V, ['-fp32']).tags, []);
    assert.deepEqual(resolveVariations('v', V, ['preset']).tags, ['preset', 'big', 'red', 'fp32']);
    assert.deepEqual(resolveVariations('v', V, ['preset', 'blue']).tags, [
      'preset',
      'blue',
      'big',
      'fp32',
    ]);
    assert.deepEqual(resolveVariations('v', V, ['preset', '-red']).tags, ['preset', 'big', 'fp32']);
    assert.throws(
      () => resolveVariations('v', V, ['preset', '-big']),
      /base variation .* excluded/,
    );
    assert.throws(
      () => resolveVariations('v', V, ['fp16', 'fp32']),
      /Multiple variation tags selected for the variation group "prec"/,
    );
    assert.throws(
      () => resolveVariations('v', V, ['nope']),
      (e: Error & { hint?: string }) =>
        /not defined/.test(e.message) && /group prec: _fp16 _fp32/.test(e.hint ?? ''),
    );
    assert.throws(
      () => resolveVariations('v', { variations: { o: { alias: 'x', group: 'g' }, x: {} } }, ['o']),
      /Incompatible combinations: \(alias, group\)/,
    );
    assert.throws(
      () =>
        resolveVariations(
          'v',
          { variations: { a: {}, b: {} }, invalid_variation_combinations: [['a', 'b']] },
          ['a', 'b'],
        ),
      /Invalid variation combination/,
    );
  });
  test('tag classification and the include/exclude conflict', () => {
    assert.deepEqual(splitScriptTags(['t', '-x', '_a', '-_b']), {
      include: ['t'],
      exclude: ['x'],
      variations: ['a', '-b'],
    });
    assert.throws(() => splitScriptTags(['t', 'dup', '-dup']), /common tags \{'dup'\}/);
  });
});

describe('deps', () => {
  test('append_deps replaces by names, else by tag set; update_deps unites tags and sets scalars', () => {
    const deps: Dict[] = [{ tags: 'get,x', names: ['x'] }, { tags: 'get,z' }];
    appendDeps(deps, [
      { tags: 'get,y', names: ['x'] },
      { tags: 'z,get', env: { A: '1' } },
      { tags: 'new' },
    ]);
    assert.deepEqual(deps, [
      { tags: 'get,y', names: ['x'] },
      { tags: 'z,get', env: { A: '1' } },
      { tags: 'new' },
    ]);
    updateDeps([deps], { x: { tags: '_fp16,<<<NO>>>', version: '7.7' } }, {}, true);
    assert.deepEqual(deps[0], { tags: 'get,y,_fp16', names: ['x'], version: '7.7' });
    assert.throws(
      () => updateDeps([deps], { nosuch: { tags: '_x' } }, {}, true, 'p'),
      /nosuch is not one of the dependency names/,
    );
  });
  test('dep tags from env and inherited variations', () => {
    const groupOf = (v: string) => (['red', 'blue'].includes(v) ? 'color' : undefined);
    assert.equal(
      depTags(
        { tags: 't,echo', update_tags_from_env_with_prefix: { '_ver.': ['P'] } },
        { P: 'src1' },
        { tagsString: '', groupOf },
      ),
      't,echo,_ver.src1',
    );
    assert.equal(
      depTags(
        { tags: 't,echo', update_tags_from_env: ['X'] },
        { X: '_fast' },
        { tagsString: '', groupOf },
      ),
      't,echo,_fast',
    );
    assert.equal(
      depTags(
        {
          tags: 't,echo,_red',
          inherit_variation_tags: true,
          skip_inherit_variation_groups: ['color'],
        },
        {},
        { tagsString: '_blue,_big,_-x', groupOf },
      ),
      't,echo,_red,_big,_-x',
    );
    // MLC's update_tags_if_env: a tag added when its condition holds.
    const ifEnv = {
      tags: 't',
      update_tags_if_env: {
        _cuda: { enable_if_env: { DEV: ['gpu'] } },
        _cpu: { skip_if_env: { DEV: ['gpu'] } },
      },
    };
    assert.equal(depTags(ifEnv, { DEV: 'gpu' }, { tagsString: '', groupOf }), 't,_cuda');
    assert.equal(depTags(ifEnv, { DEV: 'cpu' }, { tagsString: '', groupOf }), 't,_cpu');
  });
});
