// End-to-end: automations written by users as JavaScript modules, found in any repo.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, sandbox } from './helpers.js';

async function withModule(source) {
  const s = sandbox();
  const r = await s.cm('add', 'automation', 'myauto');
  assert.equal(r.code, 0, r.stderr);
  if (source !== undefined) writeFileSync(s.local('automation', 'myauto', 'module.js'), source);
  return s;
}

describe('user automations', parallel, () => {
  test('cm add automation scaffolds module.js whose exported functions are actions', async () => {
    const s = sandbox();
    const r = await s.cm('add', 'automation', 'myauto', '-j');
    assert.equal(r.code, 0, r.stderr);
    const module = s.local('automation', 'myauto', 'module.js');
    assert.ok(existsSync(module));
    assert.equal(r.json().module, module);
    const meta = JSON.parse(readFileSync(s.local('automation', 'myauto', '_cm.json'), 'utf8'));
    assert.equal(meta.automation_alias, 'automation');
    assert.equal(meta.automation_uid, 'bbeb15d8f0a944a4');
    assert.deepEqual(meta.tags, ['automation']);
    const t = await s.cm('test', 'myauto', 'x', 'y', '--k=v');
    assert.equal(t.code, 0, t.stderr);
    const printed = JSON.parse(t.stdout);
    assert.equal(printed.artifact, 'x');
    assert.deepEqual(printed.artifacts, ['y']);
    assert.equal(printed.k, 'v');
    assert.match((await s.cm('help', 'myauto')).stdout, /^ {2}test +print the input dict/m);
    s.cleanup();
  });

  test('a module action calls other actions through cm.access and returns data for -j', async () => {
    const s = await withModule(`export async function hello(input, cm) {
  const r = await cm.access({ action: 'find', automation: 'automation' });
  cm.output('hello ' + input.artifact);
  return { return: 0, n: r.list.length, who: input.artifact };
}
`);
    const r = await s.cm('hello', 'myauto', 'bob', '-j');
    assert.equal(r.code, 0, r.stderr);
    // automation, cache, core, experiment, repo, report, script, utils (built in) and myauto.
    assert.deepEqual(r.json(), { n: 9, return: 0, who: 'bob' });
    const plain = await s.cm('hello', 'myauto', 'bob');
    assert.equal(plain.stdout, 'hello bob\n');
    s.cleanup();
  });

  test('cm.access in a module also takes an argv list or a command line', async () => {
    const s = await withModule(`export async function viaArgv(input, cm) {
  const r = await cm.access(['find', 'automation', '--tags=automation,-repo']);
  return { return: 0, r };
}
export async function viaString(input, cm) {
  const r = await cm.access('find automation "my' + 'auto"');
  return { return: 0, r };
}
`);
    const a = await s.cm('viaArgv', 'myauto', '-j');
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.json().r.return, 0, JSON.stringify(a.json()));
    assert.deepEqual(
      a
        .json()
        .r.list.map((e) => e.alias)
        .sort(),
      ['automation', 'cache', 'core', 'experiment', 'myauto', 'report', 'script', 'utils'],
    );
    const b = await s.cm('viaString', 'myauto', '-j');
    assert.equal(b.json().r.return, 0, JSON.stringify(b.json()));
    assert.deepEqual(
      b.json().r.list.map((e) => e.alias),
      ['myauto'],
    );
    s.cleanup();
  });

  test('the return code of a module action is the exit code; a throw is rc 1 naming the action', async () => {
    const s = await withModule(`export function fail() {
  return { return: 5, error: 'it went wrong' };
}
export function boom() {
  throw new Error('kaboom');
}
export async function passOn(input, cm) {
  return cm.access({ action: 'load', automation: 'myauto', artifact: 'nothere' });
}
`);
    const f = await s.cm('fail', 'myauto');
    assert.equal(f.code, 5);
    assert.equal(f.stdout, '');
    assert.match(f.stderr, /CM error: it went wrong/);
    const fj = await s.cm('fail', 'myauto', '-j');
    assert.equal(fj.code, 5);
    assert.equal(fj.json().return, 5);
    assert.equal(fj.json().error, 'it went wrong');
    const b = await s.cm('boom', 'myauto');
    assert.equal(b.code, 1);
    assert.match(b.stderr, /action "boom" threw: kaboom/);
    const p = await s.cm('passOn', 'myauto');
    assert.equal(p.code, 16);
    assert.match(p.stderr, /artifact not found/);
    s.cleanup();
  });

  test('values of a module result that JSON cannot hold are left out of -j and --save_to_json output', async () => {
    const s = await withModule(`export function odd() {
  const loop = { a: 1 };
  loop.self = loop;
  return { return: 0, big: 10n, loop, ok: 'yes' };
}
`);
    const r = await s.cm('odd', 'myauto', '-j');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json(), { ok: 'yes', return: 0 });
    const saved = await s.cm('odd', 'myauto', '--save_to_json=out.json');
    assert.equal(saved.code, 0, saved.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(s.dir, 'out.json'), 'utf8')), {
      ok: 'yes',
      return: 0,
    });
    s.cleanup();
  });

  test('generic actions work on a user automation next to its own actions', async () => {
    const s = await withModule(`export function hello() { return { return: 0 }; }\n`);
    assert.equal((await s.cm('add', 'myauto', 'thing', '--tags=t')).code, 0);
    const found = (await s.cm('find', 'myauto', '--tags=t', '-j')).json().list;
    assert.deepEqual(
      found.map((e) => [e.alias, e.path]),
      [['thing', s.local('myauto', 'thing')]],
    );
    assert.equal((await s.cm('update', 'myauto', 'thing', '--meta.k=v')).code, 0);
    assert.equal((await s.cm('load', 'myauto', 'thing', '-j')).json().meta.k, 'v');
    assert.equal((await s.cm('rm', 'myauto', 'thing', '-f')).code, 0);
    assert.equal(existsSync(s.local('myauto', 'thing')), false);
    s.cleanup();
  });

  test('a module that does not load is reported with its path (rc 1)', async () => {
    const s = await withModule('export function x( {\n');
    const r = await s.cm('x', 'myauto');
    assert.equal(r.code, 1);
    assert.ok(
      r.stderr.includes(`${s.local('automation', 'myauto', 'module.js')}: cannot load`),
      r.stderr,
    );
    s.cleanup();
  });

  test('an automation in another registered repo is found and called like a built-in one', async () => {
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
    });
    assert.equal((await s.cm('import', 'repo', `--path=${repo}`)).code, 0);
    const r = await s.cm('greet', 'greeter', '--name=ana', '-j');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().text, 'hi ana');
    const py = await s.cm('run', 'pyauto');
    assert.equal(py.code, 4);
    assert.match(py.stderr, /Python \(module\.py\)/);
    assert.equal((await s.cm('add', 'pyauto', 'other:p1')).code, 0);
    assert.ok(existsSync(join(repo, 'pyauto', 'p1', '_cm.json')));
    s.cleanup();
  });
});
