import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Dict } from '../merge.js';
import { isCmError } from '../errors.js';
import { checkScriptMeta } from './meta-check.js';
import { resolveScriptMeta } from './script-meta.js';

// dist/core/script/ → the package root.
const root = new URL('../../../', import.meta.url);
const schema = JSON.parse(
  readFileSync(new URL('schema/script-meta.schema.json', root), 'utf8'),
) as Dict;
const source = { file: () => 'repo/script/x/_cm.yaml', schema };
const resolve = (meta: Dict) => resolveScriptMeta(meta, source);

test('an empty meta resolves to every default the engine reads', () => {
  const { meta, problems } = resolve({});
  assert.deepEqual(problems, []);
  assert.deepEqual(meta.tags, []);
  assert.equal(meta.cache, false);
  assert.equal(meta.predeps, true);
  assert.deepEqual(meta.deps, []);
  assert.deepEqual(meta.new_env_keys, []);
  assert.deepEqual(meta.env, {});
  assert.deepEqual(meta.variations, {});
  assert.deepEqual(meta.adr, {});
  assert.equal('cache' in meta.versions, false);
});

test('lists given as a string or a list, flags as words, deps and names become one form', () => {
  const { meta, problems } = resolve({
    tags: 'get, tool,',
    cache: 'yes',
    predeps: 'no',
    can_force_cache: 'True',
    deps: [
      { tags: 'detect,os' },
      { tags: ['get', 'python3'], names: 'python', dynamic: 'on', force_cache: 'yes' },
    ],
    warnings: ['w', 5],
    default_env: { A: '1' },
  });
  // A tags string is how the index reads it too: a warning, not an error.
  assert.deepEqual(
    problems.map((p) => [p.severity, p.key, p.message]),
    [
      [
        'warning',
        'tags',
        'tags must be a list (found a string "get, tool,"): read as the list [get, tool]',
      ],
    ],
  );
  assert.deepEqual(meta.tags, ['get', 'tool']);
  assert.equal(meta.cache, true);
  assert.equal(meta.predeps, false);
  assert.equal(meta.can_force_cache, true);
  assert.deepEqual(
    meta.deps.map((d) => [d.tags, d.names, d.dynamic, d.reuse_version]),
    [
      [['detect', 'os'], [], false, false],
      [['get', 'python3'], ['python'], true, false],
    ],
  );
  assert.equal(meta.deps[1]!['force_cache'], 'yes', 'a run input of the dep stays as written');
  assert.deepEqual(meta.warnings, ['w', '5']);
  assert.deepEqual(meta.default_env, { A: '1' });
});

test('variations and versions are dicts of resolved sub-metas; presence the engine tests is kept', () => {
  const { meta } = resolve({
    variations: {
      fp32: { group: 'p', default: 'true,', env: { P: 'fp32' } },
      short: { alias: 'fp32' },
      empty: null,
      cached: { cache: 'no', deps: [{ tags: 'x' }] },
    },
    versions: { '1.0': { env: { URL: 'u' } }, '2.0': null },
  });
  const v = meta.variations;
  assert.equal(v['fp32']!.default, true);
  assert.equal(v['fp32']!.group, 'p');
  assert.deepEqual(v['fp32']!.env, { P: 'fp32' });
  assert.equal('default' in v['short']!, false, 'an alias variation gets no default');
  assert.equal('group' in v['short']!, false);
  assert.deepEqual(v['empty']!.base, []);
  assert.deepEqual(v['empty']!.deps, []);
  assert.equal('cache' in v['fp32']!, false, 'cache only where written: it overrides the script');
  assert.equal(v['cached']!.cache, false);
  assert.deepEqual(v['cached']!.deps[0]!.tags, ['x']);
  assert.deepEqual(meta.versions['1.0']!.env, { URL: 'u' });
  assert.deepEqual(meta.versions['2.0']!.env, {});
});

test('unknown keys are kept as written, at the top, in variations and in deps', () => {
  const { meta, problems } = resolve({
    my_key: { a: [1] },
    variations: { a: { my_var_key: 1 } },
    deps: [{ tags: 'x', some_input: 'v' }],
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(meta['my_key'], { a: [1] });
  assert.equal(meta.variations['a']!['my_var_key'], 1);
  assert.equal(meta.deps[0]!['some_input'], 'v');
});

test('every problem is collected with its key path, value, message and hint', () => {
  const { meta, problems } = resolve({
    deps: 'detect,os',
    new_env_keys: 'X_*',
    variations: { a: { env: 5, default: 'true,' }, b: { deps: ['get,x'] } },
    adr: { python: 'the python dep' },
  });
  assert.deepEqual(
    problems.map((p) => [p.severity, p.key, p.value, p.message, p.hint ?? '']),
    [
      [
        'error',
        'deps',
        'detect,os',
        'deps must be a list (found a string "detect,os")',
        'write it as\ndeps:\n- tags: detect,os',
      ],
      [
        'error',
        'new_env_keys',
        'X_*',
        'new_env_keys must be a list (found a string "X_*")',
        'write it as a list: new_env_keys: [X_*]',
      ],
      [
        'error',
        'variations.a.env',
        5,
        'variations.a.env must be a dict (found an integer 5)',
        'e.g. env: {KEY: value}',
      ],
      [
        'warning',
        'variations.a.default',
        'true,',
        'variations.a.default must be true or false (found a string "true,"): read as true',
        'default: true or false (yes/no/on/off and 1/0 are read the same way)',
      ],
      [
        'error',
        'variations.b.deps[0]',
        'get,x',
        'variations.b.deps[0] must be a dict (found a string "get,x")',
        'write it as "- tags: get,x"',
      ],
      [
        'warning',
        'adr.python',
        'the python dep',
        'adr.python must be a dict or null (found a string "the python dep"): ignored',
        'e.g. python: {tags: _cuda, version_min: "3.8"}',
      ],
    ],
  );
  assert.deepEqual(problems[0]!.path, ['deps']);
  assert.deepEqual(problems[4]!.path, ['variations', 'b', 'deps', 0]);
  // What could not be read resolves to the default; what was read leniently is in.
  assert.deepEqual(meta.deps, []);
  assert.deepEqual(meta.variations['a']!.env, {});
  assert.equal(meta.variations['a']!.default, true);
  assert.deepEqual(meta.adr, {});
});

test('checkScriptMeta throws one bad-meta error naming the file and every key, and passes warnings', () => {
  let asked = 0;
  const counted = { schema, file: () => (asked++, 'repo/script/x/_cm.yaml') };
  const ok = checkScriptMeta({ tags: ['a'], variations: { v: { default: 'true,' } } }, counted);
  assert.equal(ok.variations['v']!.default, true);
  assert.equal(asked, 0, 'the file is looked for only when there is an error');
  const one = (() => {
    try {
      checkScriptMeta({ deps: 'detect,os' }, counted);
    } catch (e) {
      return e;
    }
  })();
  assert.ok(isCmError(one) && one.code === 'bad-meta');
  assert.equal(
    one.message,
    'repo/script/x/_cm.yaml: deps must be a list (found a string "detect,os")',
  );
  assert.equal(one.hint, 'write it as\ndeps:\n- tags: detect,os');
  assert.throws(
    () => checkScriptMeta({ deps: ['a,b'], new_env_keys: 'X', env: [] }, counted),
    (e: unknown) => {
      assert.ok(isCmError(e) && e.code === 'bad-meta');
      assert.equal(
        e.message,
        [
          'repo/script/x/_cm.yaml: 3 keys the engine cannot read:',
          '  deps[0] must be a dict (found a string "a,b")',
          '  new_env_keys must be a list (found a string "X")',
          '  env must be a dict (found a list)',
        ].join('\n'),
      );
      assert.equal(
        e.hint,
        [
          'deps[0]: write it as "- tags: a,b"',
          'new_env_keys: write it as a list: new_env_keys: [X]',
          'env: e.g. env: {KEY: value}',
        ].join('\n'),
      );
      assert.deepEqual(
        (e.details?.['problems'] as Dict[]).map((p) => [p['key'], p['value']]),
        [
          ['deps[0]', 'a,b'],
          ['new_env_keys', 'X'],
          ['env', []],
        ],
      );
      return true;
    },
  );
});

test('the written-form types (written-meta.ts) are the ones the schema generates', async () => {
  const generator = new URL('scripts/gen-meta-types.js', root).href;
  const { metaTypesSource, TYPES_FILE } = (await import(generator)) as {
    metaTypesSource(s: Dict): Promise<string>;
    TYPES_FILE: string;
  };
  assert.equal(
    await metaTypesSource(schema),
    readFileSync(TYPES_FILE, 'utf8'),
    'run: node scripts/gen-meta-types.js',
  );
});
