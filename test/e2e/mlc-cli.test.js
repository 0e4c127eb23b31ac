// End-to-end: mlcflow's command line (`mlc ACTION TARGET ...`, `mlcr`, `mlce`) through the real
// CLI: help layout, scripts, a repo pulled from a bare git repo over file://, the cache.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { git, parallel, root, sandbox, writeTree } from './helpers.js';

const builtin = (name) => join(root, 'repo', 'script', name);
const lines = (r) => r.stdout.trim().split('\n');

/** A bare git repo (over file://) holding one cached script, `hello` (tags hello,demo). */
function makeDemoRepo(dir) {
  const src = join(dir, 'src', 'demo');
  writeTree(src, {
    'cmr.yaml': 'alias: org@demo\nuid: "4444444444444444"\ngit: true\n',
    script: {
      hello: {
        '_cm.yaml':
          'alias: hello\nuid: "5555555555555555"\nautomation_alias: script\n' +
          'automation_uid: 5b4e0237da074764\ntags: [hello, demo]\ncache: true\n' +
          'new_env_keys: [DEMO_*]\ninput_mapping:\n  greeting: DEMO_GREETING\n',
        'run.sh': 'echo "${DEMO_GREETING:-hello} from demo"\n',
      },
    },
  });
  git(src, 'init', '-q', '-b', 'main');
  git(src, 'add', '-A');
  git(src, 'commit', '-qm', 'init');
  const bare = join(dir, 'demo.git');
  git(dir, 'clone', '-q', '--bare', src, bare);
  return `file://${bare}`;
}

describe('mlc: the mlcflow command line', parallel, () => {
  test('mlc --help, -h and help list the targets with their actions and how to get more help', async () => {
    const s = sandbox();
    for (const args of [['--help'], ['help']]) {
      const r = await s.bin('mlc', ...args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^usage: mlc ACTION TARGET \[DETAILS\] \[--flags\]/m);
      assert.match(r.stdout, /^ {2}script {6}run, find \(search\), show, list, add, rm, cp, mv/m);
      assert.match(r.stdout, /^ {2}cache {7}find \(search\), show, list, rm, prune$/m);
      assert.match(r.stdout, /^ {2}repo {8}pull, add, find \(search\), list \(show\), rm$/m);
      assert.match(r.stdout, /^ {2}mlcr TAGS/m);
      assert.match(r.stdout, /^ {2}mlce TAGS/m);
      assert.match(r.stdout, /^Help on one target: +mlc TARGET --help/m);
      assert.match(r.stdout, /^Help on one action of a target: +mlc ACTION TARGET --help/m);
    }
    const bare = await s.bin('mlc');
    assert.equal(bare.code, 0);
    assert.match(bare.stdout, /^usage: mlc ACTION TARGET/);
    // cm help names the mlcflow commands too.
    const cm = await s.cm('help');
    assert.match(cm.stdout, /^ +mlc ACTION TARGET/m);
    assert.match(cm.stdout, /^ +mlce TAGS/m);
    s.cleanup();
  });

  test('mlc TARGET --help and mlc help TARGET describe the target, then each action', async () => {
    const s = sandbox();
    for (const args of [
      ['script', '--help'],
      ['help', 'script'],
      ['script', '-h'],
    ]) {
      const r = await s.bin('mlc', ...args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^==== target script =+$/m);
      assert.match(r.stdout, /^Actions:\n {2}run {2,}run a script/m);
      assert.match(r.stdout, /^Naming a script:\n {2}tags: /m);
      for (const a of ['run', 'find \\(search\\)', 'show', 'add', 'rm'])
        assert.match(r.stdout, new RegExp(`^==== script: ${a} =+$`, 'm'));
    }
    const cache = await s.bin('mlc', 'help', 'cache');
    assert.match(cache.stdout, /^==== cache: prune =+$/m);
    const repos = await s.bin('mlc', 'repos', '--help');
    assert.match(repos.stdout, /^==== repo: pull =+$/m);
    s.cleanup();
  });

  test('mlc ACTION TARGET --help: the target, the action, then the flags of the CM action', async () => {
    const s = sandbox();
    const run = await s.bin('mlc', 'run', 'script', '--help');
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    const order = [
      /^==== target script =/m,
      /^==== script: run =/m,
      /^Usage:\n {2}mlc run script TAGS/m,
      /^Examples:\n {2}mlc run script detect,os -j/m,
      /^Underneath this is: cm run script$/m,
      /^ {2}--tags=a,b,_v /m,
    ].map((re) => out.search(re));
    assert.ok(
      order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])),
      `sections in order: ${order}\n${out}`,
    );
    const pull = await s.bin('mlc', 'pull', 'repo', '-h');
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /^==== repo: pull =/m);
    assert.match(pull.stdout, /--tag=T is --checkout=T/);
    assert.match(pull.stdout, /^ {2}--branch=B /m);
    // One action across the targets.
    const find = await s.bin('mlc', 'find', '--help');
    assert.equal(find.code, 0);
    assert.match(find.stdout, /^ {2}mlc find cache /m);
    // With tags, --help is the help of that script.
    const os = await s.bin('mlc', 'run', 'script', 'detect,os', '--help');
    assert.equal(os.code, 0, os.stderr);
    assert.match(os.stdout, /^Script "detect-os"/m);
    assert.doesNotMatch(os.stdout, /====/);
    s.cleanup();
  });

  test('mlc find/search/list/show script find built-in scripts by tags or alias', async () => {
    const s = sandbox();
    for (const args of [
      ['find', 'script', '--tags=detect,os'],
      ['find', 'script', 'detect,os'],
      ['search', 'script', 'detect os'],
      ['find', 'script', 'detect-os'],
    ]) {
      const r = await s.bin('mlc', ...args);
      assert.equal(r.code, 0, `${args}: ${r.stderr}`);
      assert.deepEqual(lines(r), [builtin('detect-os')], args.join(' '));
    }
    const list = await s.bin('mlc', 'list', 'script');
    assert.ok(lines(list).includes(builtin('detect-os')));
    assert.ok(lines(list).includes(builtin('detect-cpu')));
    const show = await s.bin('mlc', 'show', 'script', '--tags=detect,os');
    assert.equal(show.code, 0, show.stderr);
    assert.equal(lines(show)[0], builtin('detect-os'));
    assert.match(show.stdout, /^ {2}uid +863735b7db8c44fc$/m);
    assert.match(show.stdout, /^ {2}tags +detect-os, detect, os, info$/m);
    assert.match(show.stdout, /^ {2}new_env_keys +CM_HOST_OS_\*/m);
    assert.equal(
      show.stdout.match(/^ {2}meta file +(.+)$/m)?.[1],
      join(builtin('detect-os'), '_cm.yaml'),
    );
    const j = (await s.bin('mlc', 'show', 'script', 'detect-os', '-j')).json();
    assert.equal(j.list[0].meta.alias, 'detect-os');
    const none = await s.bin('mlc', 'show', 'script', 'no-such-script');
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /no-such-script not found/);
    s.cleanup();
  });

  test('mlc run script and mlcr take tags as the first word, with commas or spaces', async () => {
    const s = sandbox();
    for (const [bin, ...args] of [
      ['mlc', 'run', 'script', 'detect os', '-j', '-s'],
      ['mlc', 'run', 'script', 'detect,os', '-j', '-s'],
      ['mlcr', '-j', 'detect-os', '-s'],
    ]) {
      const r = await s.bin(bin, ...args);
      assert.equal(r.code, 0, `${bin} ${args}: ${r.stderr}`);
      assert.ok(r.json().new_env.CM_HOST_OS_TYPE, `${bin} ${args.join(' ')}`);
    }
    s.cleanup();
  });

  test('mlc pull/find/list/rm repo over file://, then run, show, find, rm and prune its cache', async () => {
    const s = sandbox();
    const url = makeDemoRepo(s.dir);
    const pull = await s.bin('mlc', 'pull', 'repo', url, '--shallow');
    assert.equal(pull.code, 0, pull.stderr);
    const found = await s.bin('mlc', 'find', 'repo', 'org@demo');
    assert.equal(found.code, 0, found.stderr);
    const [, path] = found.stdout.trim().split(' = ');
    assert.ok(existsSync(join(path, 'script', 'hello', '_cm.yaml')), found.stdout);
    assert.equal(
      git(path, 'rev-parse', '--is-shallow-repository'),
      'true',
      '--shallow is --depth=1',
    );
    const list = (await s.bin('mlc', 'list', 'repo', '-j')).json();
    const demo = list.list.find((r) => r.alias === 'org@demo');
    assert.equal(demo.git_url, url, JSON.stringify(list));
    // Pulling again updates it.
    assert.equal((await s.bin('mlc', 'pull', 'repo')).code, 0);

    const run = await s.bin('mlc', 'run', 'script', 'hello,demo', '--greeting=hi', '-j', '-s');
    assert.equal(run.code, 0, run.stderr);
    const cache = (await s.bin('mlc', 'find', 'cache', 'hello', '-j')).json();
    assert.equal(cache.list.length, 1, JSON.stringify(cache));
    const entry = cache.list[0].path;
    const show = await s.bin('mlc', 'show', 'cache');
    assert.equal(show.code, 0, show.stderr);
    assert.ok(show.stdout.includes(entry), show.stdout);
    assert.ok((await s.bin('mlc', 'list', 'cache')).stdout.includes(entry));
    assert.match((await s.bin('mlc', 'show', 'cache', 'demo')).stdout, /hello/);

    // rm asks first: with stdin not a terminal it refuses, with -f it deletes.
    const refused = await s.bin('mlc', 'rm', 'cache', 'hello');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /without confirmation/);
    assert.ok(existsSync(entry));
    assert.equal((await s.bin('mlc', 'rm', 'cache', 'hello', '-f')).code, 0);
    assert.equal(existsSync(entry), false);
    const prune = await s.bin('mlc', 'prune', 'cache', '-j');
    assert.equal(prune.code, 0, prune.stderr);

    const rm = await s.bin('mlc', 'rm', 'repo', 'org@demo', '-f');
    assert.equal(rm.code, 0, rm.stderr);
    const after = (await s.bin('mlc', 'find', 'repo', '-j')).json();
    assert.ok(!after.list.some((r) => r.alias === 'org@demo'), JSON.stringify(after));
    s.cleanup();
  });

  test('mlc add repo and mlc add/cp/rm script work in a new repo', async () => {
    const s = sandbox();
    assert.equal((await s.bin('mlc', 'add', 'repo', 'my-repo')).code, 0);
    const add = await s.bin('mlc', 'add', 'script', 'my-repo:get-my-tool', '--tags=get,my-tool');
    assert.equal(add.code, 0, add.stderr);
    const found = await s.bin('mlc', 'find', 'script', 'get,my-tool');
    assert.equal(found.code, 0, found.stderr);
    assert.match(found.stdout, /my-repo\/script\/get-my-tool$/m);
    assert.equal(
      (await s.bin('mlc', 'cp', 'script', 'get-my-tool', 'my-repo:get-my-tool2')).code,
      0,
    );
    assert.equal((await s.bin('mlc', 'rm', 'script', 'get-my-tool2', '-f')).code, 0);
    assert.deepEqual(lines(await s.bin('mlc', 'find', 'script', 'get,my-tool')).length, 1);
    s.cleanup();
  });

  test('mlce is cme, mlc find experiment finds experiments; mlcflow --exp.* experiments get a clear error', async () => {
    const s = sandbox();
    const r = await s.bin('mlce', 'mlc-exp', '-j', '--', 'echo', 'hi');
    assert.equal(r.code, 0, r.stderr);
    // As for mlcr, the first word is tags.
    assert.match(r.json().experiment_path, /[\\/]experiment[\\/][0-9a-f]{16}$/);
    const found = await s.bin('mlc', 'find', 'experiment', '--tags=mlc-exp');
    assert.equal(found.stdout.trim(), r.json().experiment_path);
    for (const args of [['--tags=detect,os', '--exp.repeat,=1,2'], ['detect,os']]) {
      const bad = await s.bin('mlce', ...args);
      assert.equal(bad.code, 1, `mlce ${args}: ${bad.stderr}`);
      assert.match(bad.stderr, /^CM error: (mlcflow's script experiments|no command to run)/);
      assert.doesNotMatch(bad.stderr, /internal error/);
    }
    s.cleanup();
  });

  test('mlc version prints the version; a missing target is a CM error with the targets', async () => {
    const s = sandbox();
    const cm = await s.cm('version');
    assert.equal(cm.code, 0);
    assert.match(cm.stdout, /^\d+\.\d+\.\d+\n$/);
    for (const v of ['version', '--version', '-V'])
      assert.equal((await s.bin('mlc', v)).stdout, cm.stdout);
    const pull = await s.bin('mlc', 'pull');
    assert.equal(pull.code, 4);
    assert.match(pull.stderr, /mlc pull: the target is missing/);
    assert.match(pull.stderr, /targets: script, cache, repo, experiment/);
    // Other CM actions pass through: mlc load script is cm load script.
    const load = await s.bin('mlc', 'load', 'script', 'detect-os', '-j');
    assert.equal(load.json().meta.uid, '863735b7db8c44fc');
    s.cleanup();
  });
});
