import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, parseCommandLine, splitCommandLine } from './argv.js';
import { MAX_DEPTH } from './data-limits.js';
import { CmError } from './errors.js';

const noFiles = (): never => {
  throw new Error('no files here');
};

test('turns the reference example command line into the same input dict', () => {
  const argv = [
    'a1',
    'a2',
    'a3',
    '--flag1=value1',
    '--flag2',
    '--flag3-',
    '--flag4.k1.k2=v',
    '--list,=a,b,c',
    '--eq=a=b',
    '--',
    'extra',
    '--x',
    '-y',
  ];
  const i = parseArgs(['print_input', 'automation', ...argv], noFiles);
  assert.equal(i['action'], 'print_input');
  assert.equal(i['automation'], 'automation');
  assert.equal(i['artifact'], 'a1');
  assert.deepEqual(i['artifacts'], ['a2', 'a3']);
  assert.equal(i['flag1'], 'value1');
  assert.equal(i['flag2'], true);
  assert.equal(i['flag3'], false);
  assert.deepEqual(i['flag4'], { k1: { k2: 'v' } });
  assert.deepEqual(i['list'], ['a', 'b', 'c']);
  assert.equal(i['eq'], 'a=b');
  assert.deepEqual(i['unparsed_cmd'], ['extra', '--x', '-y']);
  assert.deepEqual(i['cmd'], argv);
});

test('converts dashes in keys only in the first segment of dotted keys', () => {
  const i = parseArgs(['x', 'y', '--dash-key=x', '--dash-key2.sub-key=y', '--no-cache-'], noFiles);
  assert.equal(i['dash_key'], 'x');
  assert.deepEqual(i['dash_key2'], { 'sub-key': 'y' });
  assert.equal(i['no_cache'], false);
});

test('takes a flag before the automation as the end of positionals', () => {
  const i = parseArgs(['find', '--tags=x', 'script'], noFiles);
  assert.equal(i['action'], 'find');
  assert.equal(i['automation'], undefined);
  assert.equal(i['artifact'], 'script');
  assert.equal(i['tags'], 'x');
});

test('keeps values as strings, trims them, and lets the last repeated flag win', () => {
  const i = parseArgs(['a', 'b', '--x=1', '--x= 2 ', '--list2,='], noFiles);
  assert.equal(i['x'], '2');
  assert.deepEqual(i['list2'], []);
});

test('merges @files in order with flags around them', () => {
  const files: Record<string, Record<string, unknown>> = {
    'in1.json': { flag1: 'json', k: 1 },
    'in2.yaml': { flag1: 'yaml' },
  };
  const i = parseArgs(
    ['a', 'b', '--flag1=cli', '@in1.json', '@in2.yaml', '--after=1'],
    (f) => files[f]!,
  );
  assert.equal(i['flag1'], 'yaml');
  assert.equal(i['k'], 1);
  assert.equal(i['after'], '1');
});

test('refuses a list flag without values and a key that is both value and dict', () => {
  assert.throws(() => parseArgs(['a', 'b', '--list,'], noFiles), CmError);
  assert.throws(() => parseArgs(['a', 'b', '--a=x', '--a.b=y'], noFiles), /already holds a value/);
});

test('reads a trailing "-" before the leading dashes go: a lone "-" is the key "" = false', () => {
  const i = parseArgs(['a', 'b', '-', '---', '--x-', '-y-'], noFiles);
  assert.equal(i[''], false);
  assert.equal(i['x'], false);
  assert.equal(i['y'], false);
  assert.equal(parseArgs(['a', 'b', '---triple'], noFiles)['_triple'], true);
});

test('splits a command line like shlex: quotes, escapes and empty quoted words', () => {
  assert.deepEqual(splitCommandLine(' find  automation --tags=a,b '), [
    'find',
    'automation',
    '--tags=a,b',
  ]);
  assert.deepEqual(splitCommandLine(`a "b c" 'd e' f\\ g "h\\"i" '' x""y`), [
    'a',
    'b c',
    'd e',
    'f g',
    'h"i',
    '',
    'xy',
  ]);
  assert.throws(() => splitCommandLine('find "automation'), /unclosed/);
});

test('refuses reserved keys anywhere in a flag, naming the flag', () => {
  for (const flag of [
    '--meta.__proto__.x=1',
    '--env.__proto__.x=1',
    '--adr.__proto__.x=1',
    '--__proto__=1',
    '--_-proto__=1',
    '--meta.constructor.x=1',
    '--tags.__proto__,=a,b',
  ]) {
    const e = (() => {
      try {
        parseArgs(['update', 'dataset', 'x', flag], noFiles);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    assert.ok(e instanceof CmError, flag);
    assert.equal(e.code, 'bad-input');
    assert.match(
      e.message,
      new RegExp(
        `^flag ${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the key "(__proto__|constructor|prototype)" is not allowed$`,
      ),
    );
    assert.match(e.hint ?? '', /reserved/);
  }
  assert.equal(Object.getPrototypeOf({}).x, undefined);
  // As values the words are ordinary data.
  assert.deepEqual(parseArgs(['a', 'b', '--x=__proto__', '--l,=constructor'], noFiles)['l'], [
    'constructor',
  ]);
});

test('sets keys named like inherited properties as plain keys', () => {
  const i = parseArgs(['a', 'b', '--meta.toString.x=1', '--meta.hasOwnProperty=2'], noFiles);
  assert.deepEqual(i['meta'], { toString: { x: '1' }, hasOwnProperty: '2' });
});

test('refuses a flag nested deeper than data read from files may be', () => {
  const flag = `--${Array(MAX_DEPTH + 1)
    .fill('a')
    .join('.')}=1`;
  assert.throws(
    () => parseArgs(['a', 'b', flag], noFiles),
    /^CmError: flag --a\.a\.a.*\.\.\.: more than 200 nested keys$/,
  );
  const ok = parseArgs(['a', 'b', `--${Array(MAX_DEPTH).fill('a').join('.')}=1`], noFiles);
  assert.ok(ok['a']);
});

test('lists the keys typed as flags, apart from @file keys, words and what follows --', () => {
  const r = parseCommandLine(
    ['find', 'dataset', 'x', '--tag=a', '-j', '--env.A=1', '--dry-run', '@in.json', '--', '--raw'],
    () => ({ from_file: 1 }),
  );
  assert.deepEqual(r.flags, ['tag', 'j', 'env', 'dry_run']);
  assert.equal(r.input['from_file'], 1);
  assert.equal(r.input['artifact'], 'x');
});
