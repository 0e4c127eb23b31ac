import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../../errors.js';
import {
  dimensionSize,
  indexOf,
  keyOf,
  parseSearchSpace,
  pointAt,
  pointOf,
  size,
  valueAt,
} from './search-space.js';

const WHERE = 'tune.yaml: space';

test('reads choices, bare lists, integer ranges and flags, in declaration order', () => {
  const space = parseSearchSpace(
    {
      OPT: ['-O1', '-O2', '-O3'],
      CC: { choices: ['gcc', 'clang'] },
      N: { range: [2, 10], step: 4 },
      M: { range: [-1, 1] },
      UNROLL: { flag: '-funroll-loops' },
    },
    WHERE,
  );
  const values = space.dimensions.map((d) =>
    Array.from({ length: dimensionSize(d) }, (_, i) => valueAt(d, i)),
  );
  assert.deepEqual(
    space.dimensions.map((d) => d.name),
    ['OPT', 'CC', 'N', 'M', 'UNROLL'],
  );
  assert.deepEqual(values, [
    ['-O1', '-O2', '-O3'],
    ['gcc', 'clang'],
    [2, 6, 10],
    [-1, 0, 1],
    ['-funroll-loops', ''],
  ]);
  assert.equal(size(space), 3 * 2 * 3 * 3 * 2);
});

test('a range whose step passes max stops at the last value below it', () => {
  const space = parseSearchSpace({ N: { range: [1, 8], step: 3 } }, WHERE);
  const [n] = space.dimensions;
  assert.equal(dimensionSize(n!), 3);
  assert.equal(valueAt(n!, 2), 7);
});

const BAD: Array<[string, unknown, string[]]> = [
  ['not a map', ['-O1'], [`${WHERE} must be a map`]],
  ['no variable', {}, [`${WHERE} declares no variable`]],
  ['an empty list', { OPT: [] }, [`${WHERE}.OPT is an empty list`]],
  ['a nested value', { OPT: ['-O1', { x: 1 }] }, [`${WHERE}.OPT[1] must be a string`]],
  ['a repeated choice', { N: { choices: [1, '1'] } }, [`${WHERE}.N.choices[1] repeats`]],
  ['a reversed range', { N: { range: [8, 1] } }, [`${WHERE}.N.range has min 8 above max 1`]],
  ['a fractional bound', { N: { range: [1, 2.5] } }, [`${WHERE}.N.range must be [min, max]`]],
  ['a zero step', { N: { range: [1, 4], step: 0 } }, [`${WHERE}.N.step must be`]],
  ['a step without range', { N: { choices: [1], step: 2 } }, [`${WHERE}.N.step is only`]],
  ['an empty flag', { F: { flag: '' } }, [`${WHERE}.F.flag must be a non-empty string`]],
  ['two kinds', { F: { flag: '-g', choices: [1] } }, [`${WHERE}.F declares choices and flag`]],
  ['no kind', { F: { values: [1] } }, [`${WHERE}.F.values is not a dimension key`]],
  ['a bad name', { 'my-var': [1] }, [`${WHERE}.my-var: "my-var" cannot be`]],
  ['a scalar', { N: 3 }, [`${WHERE}.N must be a list of choices`]],
];

for (const [what, spec, messages] of BAD)
  test(`rejects ${what}, naming the key`, () => {
    assert.throws(
      () => parseSearchSpace(spec, WHERE),
      (e: unknown) => {
        assert.ok(e instanceof CmError);
        assert.equal(e.code, 'bad-input');
        for (const m of messages) assert.ok(e.message.includes(m), `${e.message} lacks ${m}`);
        return true;
      },
    );
  });

test('reports every problem of a space in one error, with a hint for each', () => {
  assert.throws(
    () =>
      parseSearchSpace(
        { A: [], B: { range: [3, 1] }, C: { flag: 7 }, D: ['ok'], E: { step: 0 } },
        WHERE,
      ),
    (e: unknown) => {
      assert.ok(e instanceof CmError);
      const problems = (e.details?.problems ?? []) as Array<{ key: string }>;
      assert.deepEqual(
        problems.map((p) => p.key),
        [`${WHERE}.A`, `${WHERE}.B.range`, `${WHERE}.C.flag`, `${WHERE}.E`],
      );
      assert.match(e.message, /4 problems/);
      assert.match(e.hint ?? '', /B\.range: write range: \[1, 3\]/);
      return true;
    },
  );
});

test('numbers points in odometer order, the last dimension fastest', () => {
  const space = parseSearchSpace({ A: ['x', 'y'], B: { range: [0, 2] }, C: { flag: '-f' } }, WHERE);
  const points = Array.from({ length: size(space) }, (_, i) => pointAt(space, i));
  assert.deepEqual(
    points.slice(0, 4).map((p) => p.values),
    [
      { A: 'x', B: 0, C: '-f' },
      { A: 'x', B: 0, C: '' },
      { A: 'x', B: 1, C: '-f' },
      { A: 'x', B: 1, C: '' },
    ],
  );
  assert.deepEqual(points[11]!.values, { A: 'y', B: 2, C: '' });
  assert.deepEqual(
    points.map((p) => indexOf(space, p)),
    points.map((_, i) => i),
  );
  assert.equal(new Set(points.map(keyOf)).size, points.length);
});

test('a point made from coordinates has the same key as the same point by index', () => {
  const space = parseSearchSpace({ A: ['x', 'y'], B: { range: [5, 9] } }, WHERE);
  assert.equal(keyOf(pointOf(space, [1, 3])), keyOf(pointAt(space, 8)));
  assert.deepEqual(pointOf(space, [1, 3]).values, { A: 'y', B: 8 });
  assert.throws(() => pointAt(space, size(space)), /outside/);
  assert.throws(() => pointOf(space, [0, 5]), /outside dimension B/);
});
