import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCkMargins, parseObjectives } from './objectives.js';
import { CmError } from '../errors.js';

const badInput =
  (pattern: RegExp) =>
  (e: unknown): boolean =>
    e instanceof CmError && e.code === 'bad-input' && pattern.test(e.message) && !!e.hint;

test('objectives are KEY:min or KEY:max separated by commas', () => {
  assert.deepEqual(parseObjectives('time:min,acc:max'), [
    { key: 'time', goal: 'min' },
    { key: 'acc', goal: 'max' },
  ]);
  assert.deepEqual(parseObjectives(' a.b : MAX '), [{ key: 'a.b', goal: 'max' }]);
  assert.deepEqual(parseObjectives('ns:time:min'), [{ key: 'ns:time', goal: 'min' }]);
});

test('a bad objective is refused with an error naming the bad part', () => {
  const cases: Array<[string, RegExp]> = [
    ['time', /"time" has no goal/],
    ['time:min,acc', /"acc" has no goal/],
    ['time:fast', /"time:fast" has the goal "fast"/],
    [':min', /":min" has no key/],
    ['time:min,,acc:max', /objective 2 .* is empty/],
    ['', /no objective given/],
    ['t:min,t:max', /"t" is given twice/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(() => parseObjectives(text), badInput(pattern), text);
  }
});

test('the error for a bare key hints at both goals', () => {
  assert.throws(
    () => parseObjectives('latency'),
    (e: unknown) => e instanceof CmError && e.hint === 'write latency:min or latency:max',
  );
});

test('CK margins are KEY:GOAL[:MARGIN] with a default margin of 1.0', () => {
  assert.deepEqual(parseCkMargins('time:min:1.10,acc:max'), {
    keys: ['time', 'acc'],
    maximise: [false, true],
    margins: [1.1, 1],
  });
  assert.deepEqual(parseCkMargins('size:min:2'), {
    keys: ['size'],
    maximise: [false],
    margins: [2],
  });
});

test('a bad CK margin spec is refused with an error naming the bad part', () => {
  const cases: Array<[string, RegExp]> = [
    ['time:min:0', /"time:min:0" has the margin 0/],
    ['time:min:-1', /has the margin -1/],
    ['time:min:1e999', /has the margin 1e999/],
    ['time', /"time" has no goal/],
    ['time:1.1', /"time:1.1" has no goal/],
    ['time:fast:1.1', /has the goal "fast"/],
    ['a:min,a:max:2', /"a" is given twice/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(() => parseCkMargins(text), badInput(pattern), text);
  }
});
