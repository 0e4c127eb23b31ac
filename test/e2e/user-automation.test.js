// End-to-end: automations written by users as JavaScript modules, found in any repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from './helpers.js';

test('cm add automation scaffolds module.js whose exported functions are actions', () => {
  const s = sandbox();
  const r = s.cm('add', 'automation', 'myauto', '-j');
  assert.equal(r.code, 0, r.stderr);
  const module = s.local('automation', 'myauto', 'module.js');
  assert.ok(existsSync(module));
  const t = s.cm('test', 'myauto', 'x', 'y', '--k=v');
  assert.equal(t.code, 0, t.stderr);
  const printed = JSON.parse(t.stdout);
  assert.equal(printed.artifact, 'x');
  assert.deepEqual(printed.artifacts, ['y']);
  assert.equal(printed.k, 'v');
  assert.match(s.cm('help', 'myauto').stdout, /^ {2}test +print the input dict/m);
  s.cleanup();
});

test('module actions call other actions through cm.access and control the return code', () => {
  const s = sandbox();
  s.cm('add', 'automation', 'myauto');
  writeFileSync(
    s.local('automation', 'myauto', 'module.js'),
    `export async function hello(input, cm) {
  const r = await cm.access({ action: 'find', automation: 'automation' });
  cm.output('hello ' + input.artifact);
  return { return: 0, n: r.list.length, who: input.artifact };
}
export function fail() {
  return { return: 5, error: 'it went wrong' };
}
export function boom() {
  throw new Error('kaboom');
}
`,
  );
  const r = s.cm('hello', 'myauto', 'bob', '-j');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json(), { n: 4, return: 0, who: 'bob' });
  assert.equal(s.cm('hello', 'myauto', 'bob').stdout, 'hello bob\n');
  const f = s.cm('fail', 'myauto');
  assert.equal(f.code, 5);
  assert.match(f.stderr, /CM error: it went wrong/);
  const b = s.cm('boom', 'myauto');
  assert.equal(b.code, 1);
  assert.match(b.stderr, /action "boom" threw: kaboom/);
  // Generic actions work on the new automation too.
  assert.equal(s.cm('add', 'myauto', 'thing', '--tags=t').code, 0);
  assert.equal(s.cm('find', 'myauto', '--tags=t', '-j').json().list[0].alias, 'thing');
  s.cleanup();
});

test('an automation in another registered repo is found and called like a built-in one', () => {
  const s = sandbox();
  const repo = join(s.dir, 'other-repo');
  s.write({
    'other-repo': {
      'cmr.yaml': 'alias: other\nuid: "7777777777777777"\n',
      automation: {
        greeter: {
          '_cm.json': JSON.stringify({
            alias: 'greeter',
            uid: '8888888888888888',
            automation_alias: 'automation',
            automation_uid: 'bbeb15d8f0a944a4',
            tags: ['automation'],
          }),
          'module.js':
            'export function greet(input) { return { return: 0, text: `hi ${input.name}` }; }\n',
        },
      },
      pyauto: {},
    },
  });
  s.write(
    {
      automation: {
        pyauto: {
          '_cm.json': JSON.stringify({
            alias: 'pyauto',
            uid: '9999999999999999',
            automation_alias: 'automation',
            automation_uid: 'bbeb15d8f0a944a4',
          }),
          'module.py': 'class CAutomation: pass\n',
        },
      },
    },
    repo,
  );
  assert.equal(s.cm('import', 'repo', `--path=${repo}`).code, 0);
  const r = s.cm('greet', 'greeter', '--name=ana', '-j');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json().text, 'hi ana');
  const py = s.cm('run', 'pyauto');
  assert.equal(py.code, 4);
  assert.match(py.stderr, /Python \(module\.py\)/);
  assert.equal(s.cm('add', 'pyauto', 'other:p1').code, 0);
  s.cleanup();
});
