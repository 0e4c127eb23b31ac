import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRegex, MAX_PATTERN_LENGTH, MAX_SUBJECT_LENGTH, testRegex } from './safe-regex.js';

const matches = (pattern: string, subject: string, flags = ''): boolean =>
  testRegex(compileRegex(pattern, flags), subject);

test('the supported syntax agrees with JavaScript RegExp on a table of patterns and subjects', () => {
  const cases: Array<[string, string]> = [
    ['abc', 'xxabcxx'],
    ['^abc', 'xabc'],
    ['abc$', 'abcx'],
    ['^$', ''],
    ['a.c', 'a\nc'],
    ['a.c', 'abc'],
    ['colou?r', 'color'],
    ['ab*c', 'ac'],
    ['ab+c', 'ac'],
    ['a{2}', 'ba'],
    ['a{2,}', 'baab'],
    ['^a{1,3}$', 'aaaa'],
    ['^(ab|cd)+$', 'abcdab'],
    ['^(?:ab|cd)+$', 'abce'],
    ['[a-c]+x', 'zzbcax'],
    ['[^0-9]', '123'],
    ['[^0-9]', '12a'],
    ['\\d+\\.\\d+', 'v1.25'],
    ['\\w+@\\w+', 'me@host'],
    ['\\s', 'nospace'],
    ['\\bnet\\b', 'res net 50'],
    ['\\bnet\\b', 'resnet50'],
    ['\\Bnet', 'resnet50'],
    ['[\\d.]+', 'x'],
    ['a|', 'zzz'],
    ['x*', ''],
    ['(a*)*b', 'aaab'],
    ['[-a]', '-'],
    ['a{', 'a{'],
    ['\\x41\\u0042', 'AB'],
    ['[\\x41-\\x43]', 'B'],
    ['é+', 'caféé'],
  ];
  for (const [pattern, subject] of cases) {
    assert.equal(
      matches(pattern, subject),
      new RegExp(pattern).test(subject),
      `${pattern} on ${subject}`,
    );
  }
});

test('the i flag ignores case in literals and classes', () => {
  assert.equal(matches('^resnet', 'ResNet50', 'i'), true);
  assert.equal(matches('^[a-z]+$', 'ABC', 'i'), true);
  assert.equal(matches('^resnet', 'ResNet50'), false);
});

test('patterns that make backtracking engines explode run in linear time', () => {
  const subject = `${'a'.repeat(MAX_SUBJECT_LENGTH - 1)}!`;
  const started = Date.now();
  for (const pattern of ['(a+)+$', '^(a|a)*$', '(a|aa)+$', '(.*a){12}$', 'a*a*a*a*a*b']) {
    assert.equal(matches(pattern, subject), false, pattern);
  }
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});

test('unsupported syntax, overlong patterns, huge repeats and overlong subjects are refused', () => {
  const refused: Array<[string, RegExp]> = [
    ['(?=a)', /unsupported regex syntax "\(\?="/],
    ['(?<n>a)', /unsupported regex syntax/],
    ['(a)\\1', /unsupported regex syntax "\\\\1"/],
    ['\\p{L}', /unsupported regex syntax "\\\\p"/],
    ['(a', /unsupported regex syntax "\("/],
    ['a)', /unsupported regex syntax "\)"/],
    ['[abc', /unsupported regex syntax "\["/],
    ['*a', /nothing to repeat/],
    ['^*', /quantified anchor/],
    ['a{3,2}', /unsupported regex syntax "\{3,2\}"/],
    ['[z-a]', /unsupported regex syntax/],
    ['(a{1000}){1000}', /regex too large/],
    ['a'.repeat(MAX_PATTERN_LENGTH + 1), /longer than 256/],
  ];
  for (const [pattern, message] of refused)
    assert.throws(() => compileRegex(pattern), message, pattern);
  assert.throws(
    () => matches('a', 'a'.repeat(MAX_SUBJECT_LENGTH + 1)),
    /subject longer than 10000/,
  );
  assert.equal(matches('a$', 'b'.repeat(MAX_SUBJECT_LENGTH - 1) + 'a'), true);
});
