import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonRegExp } from './python-regexp.js';

/** [pattern, text, Python's re.search(pattern, text).group(1) or null] */
const CASES: Array<[string, string, string | null]> = [
  ['Python\\s*([\\d.]+)', 'Python 3.11.4\n', '3.11.4'],
  ['Version:\\s*([\\d.a-z\\-]+)', 'Name: x\nVersion: 1.26.4-rc1\n', '1.26.4-rc1'],
  ['\\s*"(.*?)"', 'version = "2.1"\n', '2.1'],
  // Python's $ matches before a final newline; JS's alone would not.
  ['v ([\\d.]+)$', 'v 1.2.3\n', '1.2.3'],
  ['v ([\\d.]+)$', 'v 1.2.3\nmore\n', null],
  ['^(\\d+)$', '7\n', '7'],
  ['(?m)^v ([\\d.]+)$', 'x\nv 4.5\ny\n', '4.5'],
  ['(?i)VERSION ([\\d.]+)', 'version 9.1', '9.1'],
  ['(?P<v>[\\d.]+) (?P=v)', 'say 1.0 1.0', '1.0'],
  ['([\\d.]+)\\Z', '5.5\n', null],
  ['\\A([\\d.]+)', '6.6 and 7.7', '6.6'],
  ['([]a]+)', 'x]a]y', ']a]'],
  ['cost \\$([\\d]+)', 'cost $12', '12'],
  ['([$\\d]+)', 'a$3', '$3'],
];

test('match_text written for Python re.search finds what Python finds', () => {
  for (const [pattern, text, group] of CASES) {
    const m = pythonRegExp(pattern).exec(text);
    assert.equal(m ? m[1] : null, group, `${pattern} on ${JSON.stringify(text)}`);
  }
});
