import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ALIASES, MAX_DEPTH } from '../core/data-limits.js';
import { CmError } from '../core/errors.js';
import { parseJson, parseYaml } from './meta-file.js';

test('YAML read as PyYAML reads it: a key given twice takes the last value', () => {
  // Published catalogs (cm4mlops app-mlperf-inference-*) have such metas; the reference loads them.
  const meta = parseYaml('alias: x\nenv:\n  A: 1\nenv:\n  B: 2\n', 'dup.yaml');
  assert.deepEqual(meta, { alias: 'x', env: { B: 2 } });
  assert.throws(() => parseYaml('a: [1\n', 'bad.yaml'), /bad\.yaml:\d+: malformed YAML/);
  // A flow list closed at column 0, as PyYAML accepts it (cm4mlops get-docker).
  assert.deepEqual(parseYaml('keys: [\n  "A",\n  "B"\n]\nx: 1\n', 'flow.yaml'), {
    keys: ['A', 'B'],
    x: 1,
  });
});

/** The CmError `fn` throws, for assertions on its code, message and hint. */
function errorOf(fn: () => unknown): CmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CmError) return e;
    throw e;
  }
  assert.fail('expected a CmError');
}

/** `levels` nested anchors of 9 aliases each: 9^levels values from a few hundred bytes. */
function aliasBomb(levels: number): string {
  const lines = ['alias: bomb', 'l0: &l0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++) {
    lines.push(
      `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  }
  return lines.join('\n') + '\n';
}

test('a YAML alias bomb is refused before it expands, naming the file and line', () => {
  const t = performance.now();
  const e = errorOf(() => parseYaml(aliasBomb(9), 'bomb.yaml'));
  assert.ok(performance.now() - t < 1000);
  assert.equal(e.code, 'bad-meta');
  // l7 expands to 9^8 values: its line is the first past the bound.
  assert.match(e.message, /^bomb\.yaml:8: YAML aliases expand to more than 1,000,000 values$/);
  assert.match(e.hint ?? '', /alias bomb/);
  assert.deepEqual(e.details, { file: 'bomb.yaml', line: 8 });
  // Below the bound the same shape loads, each alias standing for its anchor's value.
  const small = parseYaml(aliasBomb(3), 'small.yaml') as Record<string, unknown[][]>;
  assert.equal(small['l2']!.flat().length, 81);
});

test('more than MAX_ALIASES aliases are refused, even when they expand to little', () => {
  const text = `a: &a 1\nl: [${Array(MAX_ALIASES + 1)
    .fill('*a')
    .join(', ')}]\n`;
  assert.match(
    errorOf(() => parseYaml(text, 'many.yaml')).message,
    /^many\.yaml:2: more than 10000 YAML aliases$/,
  );
  const fine = `a: &a 1\nl: [${Array(MAX_ALIASES).fill('*a').join(', ')}]\n`;
  assert.equal((parseYaml(fine, 'fine.yaml') as { l: number[] }).l.length, MAX_ALIASES);
});

test('an alias inside its own anchor (a cycle) is refused, not built as a cyclic object', () => {
  for (const text of ['a: &a [*a]\n', 'x: 1\na: &a\n  b: [1, {c: *a}]\n']) {
    const e = errorOf(() => parseYaml(text, 'cycle.yaml'));
    assert.equal(e.code, 'bad-meta');
    assert.match(
      e.message,
      /^cycle\.yaml:\d: alias \*a stands for a node that contains it \(a cycle\)$/,
    );
  }
  // js-yaml binds an anchor when its node opens, so a redefinition's own alias is a cycle too.
  assert.match(
    errorOf(() => parseYaml('a: &a [1]\nb: &a [*a]\n', 'redef.yaml')).message,
    /^redef\.yaml:2: .*\(a cycle\)$/,
  );
});

test('nesting deeper than MAX_DEPTH is refused in YAML (block, flow, through aliases) and JSON', () => {
  const around = (x: string, n: number): string => '['.repeat(n) + x + ']'.repeat(n);
  const flow = (n: number): string => around('1', n);
  const block = (n: number): string =>
    Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ' 1\n';
  // A top-level mapping is one level: 1 + (MAX_DEPTH - 1) lists is the most that loads.
  assert.ok(parseYaml(`a: ${flow(MAX_DEPTH - 1)}\n`, 'ok.yaml'));
  assert.ok(parseYaml(block(MAX_DEPTH), 'ok.yaml'));
  assert.ok(parseJson(`{"a": ${flow(MAX_DEPTH - 1)}}`, 'ok.json'));
  assert.ok(parseYaml(`x: &x ${flow(100)}\ny: ${around('*x', 99)}\n`, 'ok.yaml'));
  const deep = [
    errorOf(() => parseYaml(`a: ${flow(MAX_DEPTH)}\n`, 'flow.yaml')),
    errorOf(() => parseYaml(block(MAX_DEPTH + 1), 'block.yaml')),
    // 1 + 100 levels around an alias of a 100-level anchor.
    errorOf(() => parseYaml(`x: &x ${flow(100)}\ny: ${around('*x', 100)}\n`, 'alias.yaml')),
    errorOf(() => parseYaml(`a: ${flow(100_000)}\n`, 'huge.yaml')),
    errorOf(() => parseJson(`{\n"a": ${flow(MAX_DEPTH)}}`, 'deep.json')),
    errorOf(() => parseJson('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), 'huge.json')),
  ];
  assert.deepEqual(
    deep.map((e) => [e.code, e.message.replace(/: .*/, '')]),
    [
      ['bad-meta', 'flow.yaml:1'],
      ['bad-meta', `block.yaml:${MAX_DEPTH + 1}`],
      ['bad-meta', 'alias.yaml:2'],
      ['bad-meta', 'huge.yaml:1'],
      ['bad-meta', 'deep.json:2'],
      ['bad-meta', 'huge.json:1'],
    ],
  );
  for (const e of deep)
    assert.match(e.message, /: nesting deeper than 200 levels of lists and mappings$/);
});

test('reserved keys are refused in YAML and JSON, also spelled with escapes or through an alias', () => {
  const cases: Array<[string, string, string]> = [
    ['a.yaml', 'alias: x\nmeta:\n  __proto__: {polluted: 1}\n', 'a.yaml:3: the key "__proto__"'],
    ['b.yaml', 'env:\n  "\\x5f_proto__": 1\n', 'b.yaml:2: the key "__proto__"'],
    ['c.yaml', 'k: &k constructor\nm: {*k : 1}\n', 'c.yaml:2: the key "constructor"'],
    ['a.json', '{\n  "meta": {"__proto__": {"x": 1}}\n}', 'a.json:2: the key "__proto__"'],
    ['b.json', '{"a": [{"\\u005f_proto__": 1}]}', 'b.json:1: the key "__proto__"'],
    ['c.json', '{"constructor": {"prototype": 1}}', 'c.json:1: the key "constructor"'],
  ];
  for (const [file, text, where] of cases) {
    const e = errorOf(() =>
      file.endsWith('.json') ? parseJson(text, file) : parseYaml(text, file),
    );
    assert.equal(e.code, 'bad-meta');
    assert.equal(e.message, `${where} is not allowed in CM data`);
    assert.match(e.hint ?? '', /reserved/);
  }
  // As values, and as parts of longer keys, the words are ordinary data.
  // `prototype` is an ordinary key (cm4mlops' automation/script meta has "prototype": true).
  assert.deepEqual(parseYaml('deps:\n- prototype: 1\n', 'd.yaml'), { deps: [{ prototype: 1 }] });
  assert.deepEqual(parseJson('{"prototype": true}', 'p.json'), { prototype: true });
  assert.deepEqual(parseYaml('a: __proto__\nmy_constructor: prototype\n', 'ok.yaml'), {
    a: '__proto__',
    my_constructor: 'prototype',
  });
  assert.deepEqual(parseJson('{"a": "constructor"}', 'ok.json'), { a: 'constructor' });
});

test('anchors, aliases and merge keys of ordinary metas still load', () => {
  const text = [
    'base: &base',
    '  env: {A: "1"}',
    '  tags: [a, b]',
    'deps:',
    '  - <<: *base',
    '    names: [one]',
    '  - <<: *base',
    '    env: {B: "2"}',
    'list: &l [1, 2]',
    'again: *l',
  ].join('\n');
  assert.deepEqual(parseYaml(text, 'ok.yaml'), {
    base: { env: { A: '1' }, tags: ['a', 'b'] },
    deps: [
      { env: { A: '1' }, tags: ['a', 'b'], names: ['one'] },
      { env: { B: '2' }, tags: ['a', 'b'] },
    ],
    list: [1, 2],
    again: [1, 2],
  });
});

test("CM's own caches skip the bounds; other JSON keeps them", () => {
  const deep = '['.repeat(300) + ']'.repeat(300);
  assert.ok(parseJson(deep, 'index.json', { isOwnCache: true }));
  assert.equal(errorOf(() => parseJson(deep, 'state.json')).code, 'bad-meta');
});
