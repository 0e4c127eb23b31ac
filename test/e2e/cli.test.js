// End-to-end: the command-line grammar, help, version and output conventions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliases, cmBin, parallel, root, sandbox } from './helpers.js';

const USAGE = 'cm {action} {automation} {artifact(s)} {flags} @input.yaml @input.json\n';

describe('cm command line', parallel, () => {
  test('cm with no arguments prints the usage line, exits 0 and touches no CM home', async () => {
    const s = sandbox();
    const r = await s.cm();
    assert.equal(r.code, 0);
    assert.equal(r.stdout, USAGE);
    assert.equal(r.stderr, '');
    assert.equal(existsSync(s.home), false);
    s.cleanup();
  });

  test('flags without an action (cm -v, cm --tags=x) print the usage line and exit 0', async () => {
    const s = sandbox();
    for (const args of [['-v'], ['--tags=x'], ['-s']]) {
      const r = await s.cm(...args);
      assert.equal(r.code, 0, `${args}: ${r.stderr}`);
      assert.equal(r.stdout, USAGE, String(args));
    }
    const j = await s.cm('-j');
    assert.equal(j.code, 0);
    assert.equal(j.json().return, 0);
    s.cleanup();
  });

  test('cm help, --help and -h list the generic actions, the automations and the flags', async () => {
    const s = sandbox();
    assert.equal((await s.cm('add', 'automation', 'dataset')).code, 0);
    for (const args of [['help'], ['--help'], ['-h']]) {
      const r = await s.cm(...args);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^usage: cm \{action\} \{automation\}/);
      for (const action of ['add', 'load', 'update', 'info'])
        assert.match(r.stdout, new RegExp(`^ {2}${action} `, 'm'));
      assert.match(r.stdout, /search \(find, ls, list\)/);
      assert.match(r.stdout, /delete \(rm, remove\)/);
      assert.match(r.stdout, /copy \(cp\)/);
      assert.match(r.stdout, /move \(mv, ren, rename\)/);
      assert.match(r.stdout, /^ {2}repo {2,}internal/m);
      assert.match(r.stdout, /^ {2}dataset {2,}local/m);
      assert.match(r.stdout, /-j, --json/);
    }
    s.cleanup();
  });

  test('cm help AUTOMATION lists its actions and ACTION AUTOMATION --help describes one', async () => {
    const s = sandbox();
    const h = await s.cm('help', 'repo');
    assert.equal(h.code, 0);
    for (const a of ['pull', 'init', 'pack', 'unpack', 'reindex', 'search', 'delete'])
      assert.match(h.stdout, new RegExp(`^  ${a} `, 'm'));
    const f = await s.cm('find', 'automation', '--help');
    assert.equal(f.code, 0);
    assert.match(f.stdout, /^cm find automation /);
    assert.match(f.stdout, /--tags=a,b,-c/);
    assert.match(f.stdout, /aliases: find, ls, list/);
    s.cleanup();
  });

  test('--version and cm version print the version; the first use creates the CM home', async () => {
    const s = sandbox();
    const v = await s.cm('--version');
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal((await s.cm('version')).stdout, v.stdout);
    assert.equal((await s.cm('version', '-j')).json().version, v.stdout.trim());
    assert.ok(existsSync(join(s.home, 'repos.json')));
    assert.ok(existsSync(join(s.home, 'repos', 'local', 'cmr.yaml')));
    assert.match((await s.cm('uid', 'core')).stdout, /^[0-9a-f]{16}\n$/);
    s.cleanup();
  });

  test('print_input turns the reference example into the same input dict', async () => {
    const s = sandbox();
    const argv = [
      'a1',
      'a2',
      '--flag1=v',
      '--flag2',
      '--flag3-',
      '--flag4.k1.k2=v',
      '--list,=a,b,c',
      '--eq=a=b',
      '-j',
      '--',
      'extra',
      '--x',
    ];
    for (const automation of ['core', 'automation']) {
      const r = await s.cm('print_input', automation, ...argv);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.json().input, {
        action: 'print_input',
        automation,
        artifact: 'a1',
        artifacts: ['a2'],
        flag1: 'v',
        flag2: true,
        flag3: false,
        flag4: { k1: { k2: 'v' } },
        list: ['a', 'b', 'c'],
        eq: 'a=b',
        j: true,
        unparsed_cmd: ['extra', '--x'],
        cmd: argv,
      });
    }
    s.cleanup();
  });

  test('print_input shows dash keys, false flags, lone dashes, x=y artifacts and trimmed string values', async () => {
    const s = sandbox();
    const i = (
      await s.cm(
        'print-input',
        'automation',
        'x=y',
        '--dash-key=x',
        '--dash-key2.sub-key=y',
        '--no-cache-',
        '--k= spaced ',
        '--n=1',
        '--list2,=',
        '--r=1',
        '--r=2',
        '---triple',
        '-',
        '-j',
      )
    ).json().input;
    assert.equal(i.artifact, 'x=y');
    assert.equal(i.artifacts, undefined);
    assert.equal(i.dash_key, 'x');
    assert.deepEqual(i.dash_key2, { 'sub-key': 'y' });
    assert.equal(i.no_cache, false);
    assert.equal(i.k, 'spaced');
    assert.equal(i.n, '1');
    assert.deepEqual(i.list2, []);
    assert.equal(i.r, '2');
    assert.equal(i._triple, true);
    assert.equal(i[''], false);
    // A flag right after the action ends the positionals: the next word is an artifact.
    const t = (await s.cm('print-input', '--tags=x', 'script', '-j')).json().input;
    assert.equal(t.automation, undefined);
    assert.equal(t.artifact, 'script');
    assert.equal(t.tags, 'x');
    s.cleanup();
  });

  test('@file.json and @file.yaml merge shallowly in order; later files and flags win', async () => {
    const s = sandbox();
    writeFileSync(
      join(s.dir, 'in1.json'),
      '{"flag1": "json", "from_json": true, "d": {"a": 1}, "after": "json"}',
    );
    writeFileSync(join(s.dir, 'in2.yaml'), 'flag1: yaml\nd:\n  b: 2\nlst: [x, y]\n');
    const r = await s.cm(
      'print_input',
      'core',
      '--flag1=cli',
      '@in1.json',
      '@in2.yaml',
      '--after=1',
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    const i = r.json().input;
    assert.equal(i.flag1, 'yaml');
    assert.equal(i.from_json, true);
    assert.deepEqual(i.d, { b: 2 });
    assert.deepEqual(i.lst, ['x', 'y']);
    assert.equal(i.after, '1');
    s.cleanup();
  });

  test('cm find automation lists the built-in automations, and tags select among them', async () => {
    const s = sandbox();
    const r = await s.cm('find', 'automation');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout.trim().split('\n'),
      ['automation', 'cache', 'core', 'experiment', 'repo', 'report', 'script', 'utils'].map((a) =>
        join(root, 'repo', 'automation', a),
      ),
    );
    assert.deepEqual(
      aliases(await s.cm('ls', 'automation', '--tags=automation,-repo', '-j')).sort(),
      ['automation', 'cache', 'core', 'experiment', 'report', 'script', 'utils'],
    );
    s.cleanup();
  });

  test('-j, --json and --out=json print the result dict on stdout; --out=none prints nothing', async () => {
    const s = sandbox();
    for (const flag of ['-j', '--json', '--out=json']) {
      const r = await s.cm('find', 'automation', 'repo', flag);
      assert.equal(r.code, 0);
      const j = r.json();
      assert.equal(j.return, 0);
      assert.equal(j.list.length, 1);
      assert.equal(j.list[0].alias, 'repo');
      assert.equal(j.list[0].uid, '55c3e27e8a140e48');
      assert.equal(j.list[0].path, join(root, 'repo', 'automation', 'repo'));
    }
    const empty = await s.cm('find', 'automation', 'nothing-here', '-j');
    assert.deepEqual(empty.json(), { list: [], return: 0 });
    const quiet = await s.cm('find', 'nothing-here', '--out=none');
    assert.equal(quiet.code, 4);
    assert.equal(quiet.stdout + quiet.stderr, '');
    s.cleanup();
  });

  test('a long output keeps every character whole; a stdout that cannot be written is an error', async () => {
    const s = sandbox();
    // Longer than one write's buffer, with pairs of UTF-16 units across its boundaries.
    const text = '\u{1f600}\u00e9'.repeat(20000);
    s.write({ 'in.json': JSON.stringify({ x: text }) });
    const r = await s.cm('print_input', '@in.json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))).x, text);
    if (existsSync('/dev/full')) {
      const full = spawnSync(
        'sh',
        ['-c', `"${process.execPath}" "${cmBin}" print_input --x=1 >/dev/full`],
        {
          cwd: s.dir,
          env: { ...process.env, CM_REPOS: s.home },
          encoding: 'utf8',
        },
      );
      assert.equal(full.status, 1);
      assert.match(full.stderr, /could not write the output to stdout: ENOSPC/);
    }
    s.cleanup();
  });

  test('cmr and cme are cm run script and cm run experiment', async () => {
    const s = sandbox();
    const r = await s.bin('cmr', 'detect os', '-j', '-s');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.json().new_env.CM_HOST_OS_TYPE,
      process.platform === 'darwin' ? 'darwin' : 'linux',
    );
    const e = await s.bin('cme', '--tags=cli', '-j', '--', 'echo', 'from cme');
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.json().experiment_path, /[\\/]experiment[\\/][0-9a-f]{16}$/);
    s.cleanup();
  });
});
