import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesName, parseArtifactRef, validateNewName, wildcardMatch } from './artifact-ref.js';

test('parses alias, uid, alias,uid, uid,alias and repo:name', () => {
  const cases: Array<[string, unknown]> = [
    ['my-ds', { artifact: { alias: 'my-ds' } }],
    ['1234567890ABCDEF', { artifact: { uid: '1234567890abcdef' } }],
    ['my-ds,1234567890abcdef', { artifact: { alias: 'my-ds', uid: '1234567890abcdef' } }],
    ['1234567890abcdef,my-ds', { artifact: { alias: 'my-ds', uid: '1234567890abcdef' } }],
    ['local:my-ds', { repo: { alias: 'local' }, artifact: { alias: 'my-ds' } }],
    ['my-repo:', { repo: { alias: 'my-repo' }, artifact: {} }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseArtifactRef(text), expected, text);
});

test('rejects more than one ":" or ","', () => {
  assert.throws(() => parseArtifactRef('a:b:c'), /not recognized/);
  assert.throws(() => parseArtifactRef('a,b,c'), /not recognized/);
});

test('matches by uid when both sides have one, else by alias case-insensitively with wildcards', () => {
  assert.ok(matchesName({ uid: 'ffffffffffffffff' }, 'x', 'FFFFFFFFFFFFFFFF'));
  assert.ok(!matchesName({ alias: 'x', uid: 'ffffffffffffffff' }, 'x', '0000000000000000'));
  assert.ok(matchesName({ alias: 'CHILD1' }, 'child1', '0000000000000000'));
  assert.ok(matchesName({ alias: 'c?ild*' }, 'child1', ''));
  assert.ok(matchesName({}, 'anything', ''));
  assert.ok(wildcardMatch('my-*', 'my-ds2'));
  assert.ok(!wildcardMatch('my-?', 'my-ds'));
  assert.ok(wildcardMatch('a.b', 'a.b') && !wildcardMatch('a.b', 'axb'));
});

test('refuses new names that could escape their folder', () => {
  const long = 'é'.repeat(101);
  const cases = [
    '',
    '  ',
    '..',
    'a/b',
    'a\\b',
    '../x',
    'a..b',
    'x*',
    'a:b',
    'a,b',
    '.hidden',
    'a\nb',
    long,
  ];
  for (const bad of cases) {
    assert.throws(
      () => validateNewName('artifact', bad),
      /invalid artifact name/,
      JSON.stringify(bad),
    );
  }
  validateNewName('artifact', 'my-artifact_1.0@x');
  validateNewName('artifact', 'x'.repeat(200));
});
