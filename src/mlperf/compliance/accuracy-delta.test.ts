import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyDelta, statedAccuracy } from './accuracy-delta.js';

test("the checker's accuracy pattern: the last matching line counts, 0 when none", () => {
  assert.equal(statedAccuracy('accuracy=76.456%, good=764, total=1000\n'), 76.456);
  assert.equal(statedAccuracy('{"accuracy": 75.1, "x": 2}\nnoise\naccuracy = 74.5\n'), 74.5);
  assert.equal(statedAccuracy('no number here\n'), 0);
});

test('baseline and compliance agree within 1 % (0.1 % for a 99.9 % model), the compliance value the denominator', () => {
  const line = (x: number): string => `accuracy=${x}%, good=1, total=1\n`;
  assert.equal(accuracyDelta(line(76), line(76.7), 'resnet50').isPassing, true);
  const far = accuracyDelta(line(75), line(76.7), 'resnet50');
  assert.equal(far.isPassing, false);
  assert.equal(far.deltaPercent.toFixed(4), (Math.abs(1 - 75 / 76.7) * 100).toFixed(4));
  assert.equal(accuracyDelta(line(76), line(76.7), 'bert-99.9').isPassing, false);
  assert.equal(accuracyDelta(line(0), line(76.7), 'resnet50').isPassing, false);
});
