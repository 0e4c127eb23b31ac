import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDict, type Dict } from '../merge.js';
import { checkWithSchema, conformToSchema, SUPPORTED_KEYWORDS } from './meta-schema.js';
import { compileSchema } from './schema-compile.js';

// dist/core/script/ → the package root.
const schema = JSON.parse(
  readFileSync(new URL('../../../schema/script-meta.schema.json', import.meta.url), 'utf8'),
) as Dict;

/** Every keyword of every schema node (property names and $defs names are not keywords). */
function keywords(node: unknown, out: Set<string>): Set<string> {
  if (!isDict(node)) return out;
  for (const [k, v] of Object.entries(node)) {
    out.add(k);
    if (k === 'properties' || k === '$defs') {
      for (const sub of Object.values(v as Dict)) keywords(sub, out);
    } else if (k === 'items' || k === 'additionalProperties') keywords(v, out);
  }
  return out;
}

const options = { format: 'cm' as const, isRunInput: (k: string) => k === 'force_cache' };
const check = (meta: unknown, format: 'cm' | 'mlc' = 'cm') =>
  checkWithSchema(meta, schema, { ...options, format }).map((p) => [
    p.rule,
    p.path.join('.'),
    p.message,
  ]);

test('the shipped schema is draft 2020-12 and uses only keywords the checker understands', () => {
  assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  const unknown = [...keywords(schema, new Set())].filter((k) => !SUPPORTED_KEYWORDS.has(k));
  assert.deepEqual(unknown, []);
});

test('a meta that the engine reads without surprise has no problem', () => {
  const meta = {
    alias: 'get-x',
    uid: '0123456789abcdef',
    automation_alias: 'script',
    automation_uid: '5b4e0237da074764',
    tags: ['get', 'x'],
    cache: 'yes',
    deps: [{ tags: 'detect,os', names: 'os', force_cache: true, skip_if_env: { X: ['on'] } }],
    variations: { 'v.#': { env: { V: '#' } }, none: null, fp32: { group: 'p', default: true } },
    versions: { '1.0': { env: { URL: 'u' } } },
    new_env_keys: ['X_*', '+PATH'],
    adr: { python: { version_min: '3.8' } },
    docker: { os_version: 22.04, anything: 'open-ended' },
  };
  assert.deepEqual(check(meta), []);
});

test('unknown keys (with a near name), wrong types and keys of the other format are reported', () => {
  const cases: Array<[unknown, Array<[string, string, string]>]> = [
    [
      { cahce: true },
      [['unknown-key', 'cahce', 'unknown key "cahce" in the meta: did you mean cache?']],
    ],
    [
      { deps: 'detect,os' },
      [['wrong-type', 'deps', 'deps must be a list (found a string "detect,os")']],
    ],
    [
      { deps: [{ tags: 'a', 'force-cache': true }] },
      [
        [
          'unknown-key',
          'deps.0.force-cache',
          'unknown key "force-cache" in deps[0]: did you mean force_cache?',
        ],
      ],
    ],
    [
      { variations: { a: { default: 'true,' } } },
      [
        [
          'wrong-type',
          'variations.a.default',
          'variations.a.default must be true or false (found a string "true,")',
        ],
      ],
    ],
    [{ uid: 'xyz' }, [['wrong-type', 'uid', 'uid must match ^[0-9a-f]{16}$']]],
    [
      { automation_alias: 'cache' },
      [
        [
          'wrong-type',
          'automation_alias',
          'automation_alias must be "script" (found a string "cache")',
        ],
      ],
    ],
    [
      { min_mlc_version: '1.0' },
      [
        [
          'unknown-key',
          'min_mlc_version',
          'min_mlc_version is read by MLC (meta.yaml) only, not by CM (_cm.yaml/_cm.json)',
        ],
      ],
    ],
    [
      { MLC_DOWNLOAD_URL: 'u' },
      [['unknown-key', 'MLC_DOWNLOAD_URL', 'unknown key "MLC_DOWNLOAD_URL" in the meta']],
    ],
    [[1], [['wrong-type', '', 'the meta must be a dict (found a list)']]],
  ];
  for (const [meta, want] of cases) assert.deepEqual(check(meta), want, JSON.stringify(meta));
  assert.deepEqual(check({ min_mlc_version: '1.0', cache_expiration: '1h' }, 'mlc'), []);
});

const conform = (meta: unknown) => conformToSchema(meta, schema);
const problems = (meta: unknown) =>
  conform(meta).problems.map((p) => [p.path.join('.'), p.readAs ?? 'error', p.message]);

test('conformToSchema reads a published slip as the engine does and leaves out what it cannot read', () => {
  const { value, problems: found } = conform({
    tags: 'get,x',
    cache: 'maybe',
    deps: [
      { tags: 'a', update_tags_from_env_with_prefix: { _v: 'X_VERSION' }, names: 'py' },
      'detect,os',
      null,
    ],
    variations: { a: { default: 'true,', env: 5 }, b: null },
    adr: { python: 'a description', gcc: null },
    new_env_keys: 'X_*',
    my_own_key: { anything: 1 },
  });
  assert.deepEqual(value, {
    tags: ['get', 'x'],
    cache: true,
    deps: [{ tags: 'a', update_tags_from_env_with_prefix: { _v: ['X_VERSION'] }, names: 'py' }],
    variations: { a: { default: true }, b: null },
    adr: { gcc: null },
    my_own_key: { anything: 1 },
  });
  assert.deepEqual(
    found.map((p) => [p.path.join('.'), p.readAs ?? 'error', p.value]),
    [
      ['tags', 'split', 'get,x'],
      ['cache', 'truthy', 'maybe'],
      ['deps.0.update_tags_from_env_with_prefix._v', 'list', 'X_VERSION'],
      ['deps.1', 'error', 'detect,os'],
      ['variations.a.default', 'truthy', 'true,'],
      ['variations.a.env', 'error', 5],
      ['adr.python', 'skip', 'a description'],
      ['new_env_keys', 'error', 'X_*'],
    ],
  );
});

test('conformToSchema gives each wrong key a message naming it and a hint that rewrites the value', () => {
  const cases: Array<[unknown, string, string]> = [
    [
      { deps: 'detect,os' },
      'deps must be a list (found a string "detect,os")',
      'write it as\ndeps:\n- tags: detect,os',
    ],
    [
      { deps: ['detect,os'] },
      'deps[0] must be a dict (found a string "detect,os")',
      'write it as "- tags: detect,os"',
    ],
    [
      { new_env_keys: 'X_*' },
      'new_env_keys must be a list (found a string "X_*")',
      'write it as a list: new_env_keys: [X_*]',
    ],
    [
      { variations: { a: { env: 5 } } },
      'variations.a.env must be a dict (found an integer 5)',
      'e.g. env: {KEY: value}',
    ],
    [
      { versions: [] },
      'versions must be a dict (found a list)',
      'e.g. versions: {"1.0": {env: {URL: "..."}}}',
    ],
    [
      { deps: [{ tags: 'a', skip_if_env: ['X'] }] },
      'deps[0].skip_if_env must be a dict (found a list)',
      'e.g. skip_if_env: {CM_HOST_OS_TYPE: [linux]}',
    ],
    [
      { variations: { a: 'x' } },
      'variations.a must be a dict or null (found a string "x")',
      'e.g. a: {group: precision, env: {PREC: fp32}}',
    ],
  ];
  for (const [meta, message, hint] of cases) {
    const [p] = conform(meta).problems;
    assert.equal(p?.message, message);
    assert.equal(p?.hint, hint, message);
  }
});

test('conformToSchema keeps nulls the schema allows, drops the others, and a meta that is no dict', () => {
  assert.deepEqual(conform({ deps: null, env: { X: null }, variations: { v: null } }).value, {
    env: { X: null },
    variations: { v: null },
  });
  assert.deepEqual(problems({ deps: null }), []);
  assert.deepEqual(conform([1]).value, undefined);
  assert.deepEqual(problems([1]), [['', 'error', 'the meta must be a dict (found a list)']]);
});

test('conformToSchema checks keys of the other format too, and never reports unknown keys', () => {
  assert.deepEqual(problems({ cache_expiration: 5, min_mlc_version: '1', cahce: 'x' }), [
    ['cache_expiration', 'error', 'cache_expiration must be a string (found an integer 5)'],
  ]);
});

test('a schema is compiled once per object, and a keyword beside $ref is a bug of the schema', () => {
  assert.equal(compileSchema(schema), compileSchema(schema));
  const broken = {
    $defs: { x: { type: 'string' } },
    properties: { a: { $ref: '#/$defs/x', type: 'number' } },
  };
  assert.throws(() => conformToSchema({ a: 1 }, broken), /type beside \$ref #\/\$defs\/x/);
});
