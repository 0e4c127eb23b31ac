// Keys that would reach an object's prototype (__proto__, constructor) through the real
// CLI: refused in flags (naming the flag), @input files and meta files (naming file and line).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, sandbox } from '../e2e/helpers.js';

async function withDataset() {
  const s = sandbox('cm-security-');
  assert.equal((await s.cm('add', 'automation', 'dataset')).code, 0);
  assert.equal((await s.cm('add', 'dataset', 'x', '--tags=ok')).code, 0);
  return s;
}

/** A CM error with a hint, never a crash. */
function assertCmError(r, code, pattern, hint = /reserved/) {
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^CM error: /m);
  assert.match(r.stderr, pattern);
  assert.match(r.stderr, new RegExp(`^ {2}hint: .*${hint.source}`, 'm'));
  assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
}

describe('reserved keys', parallel, () => {
  test('flags with __proto__ or constructor in their key are refused, naming the flag', async () => {
    const s = await withDataset();
    const meta = readFileSync(s.local('dataset', 'x', '_cm.json'), 'utf8');
    for (const flag of [
      '--meta.__proto__.x=1',
      '--env.__proto__.x=1',
      '--adr.__proto__.x=1',
      '--meta.constructor.x=1',
      '--__proto__=1',
      '--meta.__proto__,=a,b',
    ]) {
      const r = await s.cm('update', 'dataset', 'x', flag);
      const key = /(__proto__|constructor)/.exec(flag)[1];
      const shown = flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assertCmError(
        r,
        1,
        new RegExp(`^CM error: flag ${shown}: the key "${key}" is not allowed$`, 'm'),
      );
      const j = await s.cm('update', 'dataset', 'x', flag, '-j');
      assert.equal(j.json().return, 1);
    }
    // Nothing changed: the meta, and the index (a polluted prototype once wrote duplicates to it).
    assert.equal(readFileSync(s.local('dataset', 'x', '_cm.json'), 'utf8'), meta);
    const found = await s.cm('find', 'dataset');
    assert.equal(found.stdout, `${s.local('dataset', 'x')}\n`);
    s.cleanup();
  });

  test('@input files holding a reserved key are refused, naming the file and line', async () => {
    const s = await withDataset();
    s.write({
      'in.json': '{\n  "meta": {"a": 1},\n  "__proto__": {"polluted": 1}\n}\n',
      'in.yaml': 'meta:\n  constructor:\n    x: 1\n',
      'escaped.json': '{"env": {"\\u005f_proto__": {"x": 1}}}',
    });
    assertCmError(
      await s.cm('update', 'dataset', 'x', '@in.json'),
      4,
      /^CM error: in\.json:3: the key "__proto__" is not allowed in CM data$/m,
    );
    assertCmError(
      await s.cm('update', 'dataset', 'x', '@in.yaml'),
      4,
      /^CM error: in\.yaml:2: the key "constructor" is not allowed in CM data$/m,
    );
    assertCmError(
      await s.cm('run', 'script', '@escaped.json'),
      4,
      /^CM error: escaped\.json:1: the key "__proto__" is not allowed in CM data$/m,
    );
    s.cleanup();
  });

  test('a meta file with a reserved key is refused at its line; other artifacts are still found', async () => {
    const s = await withDataset();
    s.write(
      { bad: { '_cm.yaml': 'alias: bad\nenv:\n  __proto__:\n    polluted: 1\n' } },
      s.local('dataset'),
    );
    const where = /bad\/_cm\.yaml:3: the key "__proto__" is not allowed in CM data/;
    // The index keeps the message of a broken meta, not its hint: the hint is the general one.
    assertCmError(await s.cm('load', 'dataset', 'bad'), 4, where, /fix the file/);
    const found = await s.cm('find', 'dataset', '--tags=ok');
    assert.equal(found.code, 0);
    assert.equal(found.stdout, `${join(s.local('dataset'), 'x')}\n`);
    assert.match(found.stderr, where);
    s.cleanup();
  });

  test('artifacts and automation folders named like inherited properties are ordinary names', async () => {
    const s = await withDataset();
    const names = ['constructor', 'toString', 'hasOwnProperty', '__proto__'];
    for (const n of names) assert.equal((await s.cm('add', 'dataset', n, '--tags=ok')).code, 0);
    // A computed key: a literal __proto__ key would set the object's prototype instead.
    s.write({ ['__proto__']: { a: {} }, constructor: { b: {} } }, s.local());
    assert.ok(existsSync(s.local('__proto__', 'a')));
    for (const n of names) {
      const r = await s.cm('load', 'dataset', n, '-j');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json().meta.alias, n);
    }
    const found = await s.cm('find', 'dataset', '--tags=ok');
    assert.equal(found.code, 0, found.stderr);
    assert.deepEqual(
      found.stdout
        .trim()
        .split('\n')
        .map((p) => p.slice(s.local('dataset').length + 1)),
      ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'x'],
    );
    s.cleanup();
  });

  test('"prototype" is an ordinary key: a catalog whose script automation meta has one still runs scripts', async () => {
    const s = sandbox('cm-security-');
    // As cm4mlops' automation/script/_cm.json: it once made `cm run script` ambiguous.
    s.write({
      cat: {
        'cmr.yaml': 'alias: org@cat\nuid: 0123456789abcdef\n',
        automation: {
          script: {
            '_cm.json': JSON.stringify({
              alias: 'script',
              automation_alias: 'automation',
              automation_uid: 'bbeb15d8f0a944a4',
              prototype: true,
              tags: ['automation'],
              uid: '5b4e0237da074764',
            }),
          },
        },
        script: {
          hello: {
            '_cm.yaml':
              'alias: hello\nuid: 1111222233334444\ntags: [hello]\nautomation_alias: script\nautomation_uid: 5b4e0237da074764\n',
          },
        },
      },
    });
    assert.equal((await s.cm('add', 'repo', '--path=cat')).code, 0);
    const r = await s.cm('run', 'script', 'hello', '-j');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /prototype|ambigu/);
    s.cleanup();
  });
});
