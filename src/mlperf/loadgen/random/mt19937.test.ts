import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mt19937 } from './mt19937.js';

function firstOutputs(rng: Mt19937, count: number): number[] {
  return Array.from({ length: count }, () => rng.next());
}

test('the default seed 5489 gives the standard MT19937 outputs', () => {
  assert.deepEqual(
    firstOutputs(new Mt19937(), 5),
    [3499211612, 581869302, 3890346734, 3586334585, 545404204],
  );
});

test('the 10 000th output of the default-seeded engine is 4123659995', () => {
  const rng = new Mt19937(5489n);
  const outputs = firstOutputs(rng, 10_000);
  assert.equal(outputs[9_999], 4123659995);
});

test('a 64-bit seed uses only its low 32 bits', () => {
  const table: Array<{ seed: bigint; expected: number[] }> = [
    {
      seed: 2085463073848966840n,
      expected: [144363858, 3947231266, 1102009372, 2040961771, 2791321498],
    },
  ];
  for (const { seed, expected } of table) {
    assert.deepEqual(firstOutputs(new Mt19937(seed), 5), expected);
    assert.deepEqual(firstOutputs(new Mt19937(seed % 2n ** 32n), 5), expected);
    assert.deepEqual(firstOutputs(new Mt19937(seed + 2n ** 32n * 7n), 5), expected);
  }
});

test('engines with different low seed words give different streams', () => {
  assert.notDeepEqual(firstOutputs(new Mt19937(1n), 3), firstOutputs(new Mt19937(2n), 3));
});
