// End-to-end: the command-line grammar, help, version and output conventions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from './helpers.js';

test('cm with no arguments prints the usage line and touches no CM home', () => {
  const s = sandbox();
  const r = s.cm();
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    'cm {action} {automation} {artifact(s)} {flags} @input.yaml @input.json\n',
  );
  assert.equal(existsSync(s.home), false);
  s.cleanup();
});

test('cm help and --help list the generic actions, the automations and the flags', () => {
  const s = sandbox();
  for (const args of [['help'], ['--help'], ['-h']]) {
    const r = s.cm(...args);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /search \(find, ls, list\)/);
    assert.match(r.stdout, /delete \(rm, remove\)/);
    assert.match(r.stdout, /^ {2}repo {2,}internal/m);
    assert.match(r.stdout, /-j, --json/);
  }
  s.cleanup();
});

test('cm help AUTOMATION lists its actions and ACTION AUTOMATION --help describes one', () => {
  const s = sandbox();
  const h = s.cm('help', 'repo');
  assert.equal(h.code, 0);
  for (const a of ['pull', 'init', 'pack', 'unpack', 'reindex', 'search', 'delete'])
    assert.match(h.stdout, new RegExp(`^  ${a} `, 'm'));
  const f = s.cm('find', 'automation', '--help');
  assert.equal(f.code, 0);
  assert.match(f.stdout, /^cm find automation /);
  assert.match(f.stdout, /--tags=a,b,-c/);
  assert.match(f.stdout, /aliases: find, ls, list/);
  s.cleanup();
});

test('--version and cm version print the version; the CM home is created on first use', () => {
  const s = sandbox();
  const v = s.cm('--version');
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.equal(s.cm('version').stdout, v.stdout);
  assert.ok(existsSync(join(s.home, 'repos.json')));
  assert.ok(existsSync(join(s.home, 'repos', 'local', 'cmr.yaml')));
  assert.match(s.cm('uid', 'core').stdout, /^[0-9a-f]{16}\n$/);
  s.cleanup();
});

test('print_input shows the input dict of the reference example', () => {
  const s = sandbox();
  const r = s.cm(
    'print_input',
    'core',
    'a1',
    'a2',
    'a3',
    '--flag1=value1',
    '--flag2',
    '--flag3-',
    '--flag4.k1.k2=v',
    '--list,=a,b,c',
    '--eq=a=b',
    '-j',
    '--',
    'extra',
    '--x',
    '-y',
  );
  assert.equal(r.code, 0);
  const i = r.json().input;
  assert.equal(i.artifact, 'a1');
  assert.deepEqual(i.artifacts, ['a2', 'a3']);
  assert.equal(i.flag1, 'value1');
  assert.equal(i.flag2, true);
  assert.equal(i.flag3, false);
  assert.deepEqual(i.flag4, { k1: { k2: 'v' } });
  assert.deepEqual(i.list, ['a', 'b', 'c']);
  assert.equal(i.eq, 'a=b');
  assert.deepEqual(i.unparsed_cmd, ['extra', '--x', '-y']);
  assert.equal(s.cm('print-input', 'core', '--dash-key=x', '-j').json().input.dash_key, 'x');
  s.cleanup();
});

test('@file.json and @file.yaml merge into the input in order; later flags win', () => {
  const s = sandbox();
  writeFileSync(join(s.dir, 'in1.json'), '{"flag1": "json", "from_json": true}');
  writeFileSync(join(s.dir, 'in2.yaml'), 'flag1: yaml\n');
  const i = s
    .cm('print_input', 'core', '--flag1=cli', '@in1.json', '@in2.yaml', '--after=1', '-j')
    .json().input;
  assert.equal(i.flag1, 'yaml');
  assert.equal(i.from_json, true);
  assert.equal(i.after, '1');
  s.cleanup();
});

test('-j, --json and --out=json print the result dict on stdout; --out=none prints nothing', () => {
  const s = sandbox();
  for (const flag of ['-j', '--json', '--out=json']) {
    const r = s.cm('find', 'automation', 'repo', flag);
    assert.equal(r.code, 0);
    const j = r.json();
    assert.equal(j.return, 0);
    assert.equal(j.list[0].alias, 'repo');
    assert.equal(j.list[0].uid, '55c3e27e8a140e48');
  }
  const quiet = s.cm('find', 'nothing-here', '--out=none');
  assert.equal(quiet.code, 4);
  assert.equal(quiet.stdout + quiet.stderr, '');
  s.cleanup();
});

test('cmr and cme are cm run script and cm run experiment', () => {
  const s = sandbox();
  const r = s.bin('cmr', 'detect os', '-j');
  assert.equal(r.code, 4);
  assert.equal(r.json().error, 'automation "script" not found');
  assert.equal(s.bin('cme', '-j').json().error, 'automation "experiment" not found');
  s.cleanup();
});
