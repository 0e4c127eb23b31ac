import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptInputKeys } from './input-keys.js';

test('a script takes the inputs its meta, variations, versions and dep entries name', () => {
  const keys = scriptInputKeys({
    input_mapping: { who: 'CM_WHO' },
    input_description: { greeting: { desc: 'how to greet' } },
    variations: {
      loud: { input_mapping: { volume: 'CM_VOLUME' }, deps: [{ tags: 'x', extra_flag: 1 }] },
      quiet: { adr: { python: { tags: 'y', version_min: '3.8' } } },
    },
    versions: { '1.0': { input_mapping: { legacy: 'CM_LEGACY' } } },
    deps: [{ tags: 'detect,os', names: ['os'], env: { A: '1' }, passed_on: 'x' }],
  });
  assert.deepEqual(
    keys.sort(),
    ['extra_flag', 'greeting', 'legacy', 'passed_on', 'version_min', 'volume', 'who'].sort(),
  );
});

test('a meta without inputs takes none, and odd shapes are skipped', () => {
  assert.deepEqual(scriptInputKeys({}), []);
  assert.deepEqual(scriptInputKeys({ input_mapping: 'x', variations: [], deps: 'a' }), []);
});
