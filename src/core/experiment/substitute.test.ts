import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../errors.js';
import { substituteVars, varsIn } from './substitute.js';

const env: Record<string, string> = { A: '1', B: 'x y', CD: '/home/u', LOOP: '{{A}}' };
const lookup = (name: string): string | undefined =>
  Object.hasOwn(env, name) ? env[name] : undefined;

test('every {{NAME}} is replaced textually in one left-to-right scan', () => {
  const cases: Array<[string, string]> = [
    ['echo {{A}}-{{B}}', 'echo 1-x y'],
    ['{{A}}{{A}}', '11'],
    ['cd {{CD}} && ls', 'cd /home/u && ls'],
    ['no placeholders', 'no placeholders'],
    ['', ''],
    ['echo {{LOOP}}', 'echo {{A}}'], // a substituted value is not scanned again
    ['a } b }} c', 'a } b }} c'],
  ];
  for (const [template, expected] of cases)
    assert.equal(substituteVars(template, lookup), expected, template);
});

test('an unknown name is an error saying it is not in env, with a did-you-mean from the known names', () => {
  assert.throws(
    () => substituteVars('echo {{NOPE}}', lookup),
    (e: unknown) =>
      e instanceof CmError &&
      e.code === 'bad-input' &&
      e.message === 'key "NOPE" is not in env during exploration',
  );
  assert.throws(
    () => substituteVars('echo {{CMD}}', lookup, Object.keys(env)),
    (e: unknown) =>
      e instanceof CmError &&
      /did you mean "CD"\?/.test(e.hint ?? '') &&
      /known: A, B, CD, LOOP/.test(e.hint ?? ''),
  );
});

test('an unterminated {{ is an error with its column, found before any lookup', () => {
  let looked = 0;
  const counting = (name: string): string | undefined => {
    looked++;
    return lookup(name);
  };
  assert.throws(
    () => substituteVars('echo {{A}} "{{UNTERMINATED"', counting),
    /unterminated "\{\{" at column 13 of the command/,
  );
  assert.equal(looked, 0);
  assert.throws(() => varsIn('{{'), /at column 1/);
});

test('varsIn lists each referenced name once, in order of first use', () => {
  assert.deepEqual(varsIn('{{B}} {{A}} {{B}} {{CM_EXPERIMENT_STEP}}'), [
    'B',
    'A',
    'CM_EXPERIMENT_STEP',
  ]);
  assert.deepEqual(varsIn('plain'), []);
});
