import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDict, type Dict } from '../merge.js';
import { CHECKED_DEP_LISTS, CONDITIONS, DICT_KEYS, LIST_KEYS } from './meta-check.js';
import { checkWithSchema, SUPPORTED_KEYWORDS } from './meta-schema.js';

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

test('the run-time type checks of meta-check.ts agree with the schema on every key they check', () => {
  const defs = schema['$defs'] as Dict;
  const props = (node: unknown): Dict => (isDict(node) ? (node['properties'] as Dict) : {});
  const levels: Dict[] = [props(schema), props(defs['variation']), props(defs['version'])];
  const typesOf = (s: unknown): string[] => {
    let node = s as Dict;
    while (typeof node['$ref'] === 'string')
      node = defs[node['$ref'].replace('#/$defs/', '')] as Dict;
    const t = node['type'];
    return Array.isArray(t) ? (t as string[]) : [String(t)];
  };
  const expect = (keys: readonly string[], type: string, among: Dict[]): void => {
    for (const k of keys) {
      const defined = among.filter((level) => level[k] !== undefined);
      assert.ok(defined.length > 0, `${k} is in the schema`);
      for (const level of defined) assert.ok(typesOf(level[k]).includes(type), `${k}: ${type}`);
    }
  };
  expect(DICT_KEYS, 'object', levels);
  expect(LIST_KEYS, 'array', levels);
  expect(CHECKED_DEP_LISTS, 'array', levels);
  expect(CONDITIONS, 'object', [props(defs['dep'])]);
  expect(['tags'], 'string', [props(defs['dep'])]);
  expect(['tags'], 'array', [props(defs['dep'])]);
});
