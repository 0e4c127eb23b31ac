import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from './meta-file.js';

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
