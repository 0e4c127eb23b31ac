import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstJsonError, jsonErrorReason, locateJsonError } from './json-error-location.js';

const parseMessage = (text: string): string => {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
};

test('finds the first invalid character, at the position JSON.parse reports when it does', () => {
  const broken: Array<[string, number]> = [
    ['[1, 2,]', 6],
    ['{"a": 1,\n "b" 2}', 14],
    ['{"a": }', 6],
    ['[1 2]', 3],
    ['{a: 1}', 1],
    ['[01]', 2],
    ['[-]', 2],
    ['[1.]', 3],
    ['[1e+]', 4],
    ['["\\x"]', 3],
    ['["\\u12g4"]', 6],
    ['["a\tb"]', 3],
    ['[tru]', 4],
    ['nul', 3],
    ['[1] 2', 4],
    ['[[[', 3],
    ['{"a"', 4],
    ['', 0],
    ['"abc', 4],
  ];
  for (const [text, offset] of broken) {
    assert.equal(firstJsonError(text), offset, JSON.stringify(text));
    const m = /position (\d+)/.exec(parseMessage(text));
    if (m) assert.equal(offset, Number(m[1]), `V8 agrees on ${JSON.stringify(text)}`);
  }
});

test('valid JSON has no error, however deeply nested', () => {
  const valid = ['{}', '[]', ' 1 ', '{"a": [1, -2.5e3, "x\\u0041\\n", true, false, null, {}]}'];
  for (const text of valid) assert.equal(firstJsonError(text), undefined, text);
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.equal(firstJsonError(deep), undefined);
  assert.equal(firstJsonError(deep.slice(0, -1)), deep.length - 1);
});

test('the location is a 1-based line and column', () => {
  const text = '[\n  {"a": 1},\n  {"b": 2,}\n]';
  const at = locateJsonError(text, parseMessage(text));
  assert.deepEqual(at, { offset: text.indexOf(',}') + 1, line: 3, column: 11 });
  // Without a position in the message the text itself is scanned.
  assert.deepEqual(locateJsonError('{\n "a": }', 'Unexpected token'), {
    offset: 8,
    line: 2,
    column: 7,
  });
  assert.deepEqual(locateJsonError('[1,', 'Unexpected end of JSON input'), {
    offset: 3,
    line: 1,
    column: 4,
  });
});

test('the reason drops the position and the quoted excerpt of V8 messages', () => {
  const cases: Array<[string, string]> = [
    [
      'Expected double-quoted property name in JSON at position 12',
      'Expected double-quoted property name',
    ],
    ['Unexpected token \'}\', "{"a": }" is not valid JSON', "Unexpected token '}'"],
    ['Unexpected end of JSON input', 'Unexpected end of JSON input'],
    [
      "Expected ',' or ']' after array element in JSON at position 5 (line 1 column 6)",
      "Expected ',' or ']' after array element",
    ],
  ];
  for (const [message, reason] of cases) assert.equal(jsonErrorReason(message), reason);
});
