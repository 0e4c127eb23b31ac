import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateMeta } from './meta-locations.js';

test('keys and list items of block and flow YAML are located by line and column', () => {
  const text = [
    'alias: x',
    'deps:',
    '- tags: a,b',
    '  names: [n1, n2]',
    'variations:',
    '  fp32: {env: {P: fp32}}',
    '"quoted": 1',
  ].join('\n');
  const where = locateMeta(text)!;
  assert.deepEqual(where.at(['alias']), { line: 1, col: 1 });
  assert.deepEqual(where.at(['deps', 0]), { line: 3, col: 3 });
  assert.deepEqual(where.at(['deps', 0, 'tags']), { line: 3, col: 3 });
  assert.deepEqual(where.at(['deps', 0, 'names', 1]), { line: 4, col: 15 });
  assert.deepEqual(where.at(['variations', 'fp32', 'env', 'P']), { line: 6, col: 16 });
  assert.deepEqual(where.at(['quoted']), { line: 7, col: 1 });
  // A path that is not in the text falls back to its nearest located ancestor.
  assert.deepEqual(where.at(['deps', 0, 'missing']), { line: 3, col: 3 });
  assert.deepEqual(where.at(['nothing']), { line: 1, col: 1 });
  assert.deepEqual(where.duplicates, []);
});

test('keys written twice in one mapping are found in YAML and JSON, not across mappings', () => {
  const yaml = 'a: 1\nb:\n  a: 2\n  a: 3\na: 4\n';
  assert.deepEqual(locateMeta(yaml)!.duplicates, [
    { path: ['b', 'a'], line: 4, col: 3 },
    { path: ['a'], line: 5, col: 1 },
  ]);
  const json = '{\n  "x": {"y": 1, "y": 2}\n}\n';
  assert.deepEqual(locateMeta(json)!.duplicates, [{ path: ['x', 'y'], line: 2, col: 17 }]);
});

test('text js-yaml cannot parse gives no locations (the parse error is reported elsewhere)', () => {
  assert.equal(locateMeta('tags: [a\n'), undefined);
});
