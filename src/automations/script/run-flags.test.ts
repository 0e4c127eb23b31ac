import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowKeys } from '../../core/flags.js';
import { RUN_FLAGS, whileNotingReads } from './run-flags.js';

test('a hook that reads a key of the input marks it used; the input stays a plain object', async () => {
  const input: Record<string, unknown> = { who: 'Ada', shout: true, other: 1, known: 2 };
  const used = new Set(['known']);
  const seen = await whileNotingReads(input, used, async () => {
    input['added'] = 'x';
    input['other'] = 2;
    // structuredClone would throw on a Proxy.
    return [input['who'], structuredClone({ a: 1 }), typeof structuredClone(input)];
  });
  assert.deepEqual(seen, ['Ada', { a: 1 }, 'object']);
  // structuredClone read every key: who, shout and other are now noted.
  assert.deepEqual([...used].sort(), ['known', 'other', 'shout', 'who']);
  assert.deepEqual(input, { who: 'Ada', shout: true, other: 2, known: 2, added: 'x' });
  for (const k of Object.keys(input))
    assert.ok('value' in Object.getOwnPropertyDescriptor(input, k)!, `${k} is data again`);
});

test('only the keys a hook reads are noted, also when it throws', async () => {
  const input: Record<string, unknown> = { a: 1, b: 2 };
  const used = new Set<string>();
  await assert.rejects(
    whileNotingReads(input, used, async () => {
      if (input['a'] === 1) throw new Error('boom');
    }),
  );
  assert.deepEqual([...used], ['a']);
  assert.ok('value' in Object.getOwnPropertyDescriptor(input, 'b')!);
});

test('the engine flags include the version bounds, env, adr and the dry-run spellings', () => {
  const keys = rowKeys(RUN_FLAGS);
  for (const k of ['version_min', 'version_max', 'env', 'adr', 'ad', 'const', 'dry_run', 'plan'])
    assert.ok(keys.includes(k), k);
});
