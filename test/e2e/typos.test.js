// Misspelled flags: a database action refuses a flag it does not take (with did-you-mean) before it
// does anything; a script run warns about a flag that neither the engine nor any of its scripts used.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { access, createCm } from '../../dist/index.js';
import { parallel, sandbox } from './helpers.js';
import { scriptSandbox } from './script-fixtures.js';

/** The WARNING lines of a run's stderr. */
function warnings(r) {
  return r.stderr.split('\n').filter((l) => l.startsWith('WARNING:'));
}

async function datasets() {
  const s = sandbox('cm-typos-');
  for (const args of [
    ['add', 'automation', 'dataset'],
    ['add', 'dataset', 'images', '--tags=images'],
    ['add', 'dataset', 'text', '--tags=text'],
  ]) {
    const r = await s.cm(...args, '-s');
    assert.equal(r.code, 0, r.stderr);
  }
  return s;
}

describe('a database action refuses a flag it does not take', parallel, () => {
  test('cm find dataset --tag=images is an error that points to --tags', async () => {
    const s = await datasets();
    const r = await s.cm('find', 'dataset', '--tag=images');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'CM error: unknown flag --tag for cm find dataset\n  hint: did you mean --tags?\n',
    );
    const j = (await s.cm('ls', 'dataset', '--tag=images', '--uidd', '-j')).json();
    assert.equal(j.code, 'unknown-flag');
    assert.equal(j.error, 'unknown flags --tag, --uidd for cm ls dataset');
    assert.deepEqual(j.details.flags, [
      { flag: 'tag', did_you_mean: ['tags'] },
      { flag: 'uidd', did_you_mean: ['uid'] },
    ]);
    const none = await s.cm('find', 'dataset', '--xyzzy');
    assert.match(none.stderr, /hint: run "cm find dataset --help" to see the flags it takes/);
  });

  test('the refused action changes nothing', async () => {
    const s = await datasets();
    const rm = await s.cm('rm', 'dataset', 'text', '--forse');
    assert.equal(rm.code, 1);
    assert.match(
      rm.stderr,
      /unknown flag --forse for cm rm dataset\n {2}hint: did you mean --force\?/,
    );
    assert.ok(existsSync(s.local('dataset', 'text')));
    const meta = readFileSync(s.local('dataset', 'images', '_cm.json'), 'utf8');
    const up = await s.cm('update', 'dataset', 'images', '--meta.x=1', '--replace-list');
    assert.match(up.stderr, /unknown flag --replace_list .*\n.*did you mean --replace_lists\?/);
    assert.equal(readFileSync(s.local('dataset', 'images', '_cm.json'), 'utf8'), meta);
  });

  test('built-in automations check their own actions: repo, cache, script, utils', async () => {
    const s = sandbox('cm-typos-');
    const cases = [
      [['list', 'repo', '--mn'], 'cm list repo', '--min'],
      [['pull', 'repo', 'file:///nowhere.git', '--brnch=dev'], 'cm pull repo', '--branch'],
      [['show', 'cache', '--tag=x'], 'cm show cache', '--tags'],
      [['prune', 'cache', '--dry-rn'], 'cm prune cache', '--dry_run'],
      [['find', 'script', '--tag=detect'], 'cm find script', '--tags'],
      [
        ['download_file', 'utils', '--url=file:///x', '--pth=d'],
        'cm download_file utils',
        '--path',
      ],
    ];
    await Promise.all(
      cases.map(async ([args, command, near]) => {
        const r = await s.cm(...args);
        assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`unknown flag --\\w+ for ${command}\\n`));
        assert.ok(r.stderr.includes(`did you mean ${near}?`), r.stderr);
      }),
    );
  });

  test('global flags, @input file keys and flags the action declares are taken', async () => {
    const s = await datasets();
    writeFileSync(join(s.dir, 'in.json'), JSON.stringify({ tags: 'images', any_key: 1 }));
    const r = await s.cm('find', 'dataset', '@in.json', '--uid', '-j', '-v', '--debug', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.json().list.map((x) => x.alias),
      ['images'],
    );
    const saved = join(s.dir, 'r.json');
    const l = await s.cm('load', 'dataset', 'images', '--yaml', '-s', `--save_to_json=${saved}`);
    assert.equal(l.code, 0, l.stderr);
    assert.ok(existsSync(saved));
    assert.equal((await s.cm('find', 'dataset', '--tags=images', '--help')).code, 0);
    assert.equal((await s.cm('--version')).code, 0);
  });

  test('--help lists the flags the check takes', async () => {
    const s = sandbox('cm-typos-');
    const find = await s.cm('find', 'automation', '--help');
    assert.match(find.stdout, /^ {2}--tags=a,b,-c +all of a and b/m);
    assert.match(find.stdout, /^Flags of every command:\n {2}-j, --json/m);
    const run = await s.cm('run', 'script', '--help');
    assert.match(run.stdout, /^ {2}--version_min=V, --version_max=V +bounds of the version/m);
  });

  test('actions of a user module take any flag unless they declare theirs', async () => {
    const s = sandbox('cm-typos-');
    assert.equal((await s.cm('add', 'automation', 'greeter', '-s')).code, 0);
    writeFileSync(
      s.local('automation', 'greeter', 'module.js'),
      `export function free(i) { return { got: i.anything }; }
export async function greet(i, cm) {
  const inner = await cm.access('find greeter --tag=x');
  return { hello: i.name, inner: inner.return };
}
greet.flags = [['--name=N', 'who to greet']];
`,
    );
    const free = await s.cm('free', 'greeter', '--anything=1', '-j');
    assert.equal(free.json().got, '1');
    const ok = await s.cm('greet', 'greeter', '--name=Ada', '-j');
    assert.equal(ok.code, 0, ok.stderr);
    // A call from the module (an argv with a typo) is not checked: only what the user typed is.
    assert.deepEqual([ok.json().hello, ok.json().inner], ['Ada', 0]);
    const bad = await s.cm('greet', 'greeter', '--nam=Ada');
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /unknown flag --nam for cm greet greeter\n {2}hint: did you mean --name\?/,
    );
    assert.match((await s.cm('greet', 'greeter', '--help')).stdout, /--name=N +who to greet/);
    // The generic actions of a user automation are checked as everywhere.
    assert.match((await s.cm('find', 'greeter', '--tag=x')).stderr, /did you mean --tags\?/);
    assert.equal((await s.cm('print_input', 'core', '--whatever=1')).code, 0);
  });

  test('the library checks an argv as a command line and takes a dict as it is', async () => {
    const s = await datasets();
    const argv = await access(['find', 'dataset', '--tag=images'], { home: s.home });
    assert.deepEqual(
      [argv.return, argv.code, argv.hint],
      [1, 'unknown-flag', 'did you mean --tags?'],
    );
    const dict = await access(
      { action: 'find', automation: 'dataset', tag: 'x' },
      { home: s.home },
    );
    assert.equal(dict.return, 0, dict.error);
    assert.equal(dict.list.length, 2);
    // A caller that knows which keys a user typed says so.
    const told = await createCm({ home: s.home }).access(
      { action: 'find', automation: 'dataset', tag: 'x' },
      { flags: ['tag'] },
    );
    assert.equal(told.code, 'unknown-flag');
  });
});

const GREETING = {
  'get-greeting': {
    meta: {
      tags: ['get', 'greeting'],
      input_mapping: { who: 'G_WHO' },
      input_description: { style: { desc: 'how to greet' } },
      variations: { loud: { input_mapping: { volume: 'G_VOLUME' } } },
      deps: [{ tags: 'get,punctuation', names: ['punctuation'] }],
    },
    run: 'echo "hello ${G_WHO:-world}${G_LOUD}"',
    customize: `export function preprocess(i) {
  if (i.input.shout) i.env.G_LOUD = '!!';
  return { return: 0 };
}
`,
  },
  'get-punctuation': {
    meta: { tags: ['get', 'punctuation'], input_mapping: { mark: 'G_MARK' } },
    run: 'true',
  },
  'get-broken': {
    meta: { tags: ['get', 'broken'], input_mapping: { who: 'G_WHO' } },
    run: 'exit 3',
  },
};

describe('a script run warns about a flag nothing in the run used', parallel, () => {
  test('cmr "detect os" --version_mn=3 warns once and points to --version_min', async () => {
    const s = sandbox('cm-typos-');
    const r = await s.bin('cmr', 'detect os', '--version_mn=3', '-s');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(warnings(r), [
      'WARNING: --version_mn is used by nothing in this run (did you mean --version_min?)',
    ]);
  });

  test('flags the scripts take (their own, a variation, a dep, a hook) give no warning', async () => {
    const s = scriptSandbox(GREETING);
    const r = await s.run(
      'get greeting',
      '--who=Ada',
      '--style=x',
      '--volume=11',
      '--mark=!',
      '--shout',
      '--env.FOO=1',
      '--adr.punctuation.tags=get,punctuation',
      '--const.BAR=2',
      '--new',
      '-s',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(warnings(r), []);
    assert.match(r.stdout, /hello Ada!!/);
    const mlcr = await s.bin('mlcr', 'get,greeting', '--who=Ada', '--quiet', '-s', '--dry-run');
    assert.deepEqual(warnings(mlcr), [], mlcr.stderr);
  });

  test('an unused flag warns with its nearest flag, and the run goes on', async () => {
    const s = scriptSandbox(GREETING);
    const r = await s.run('get greeting', '--woh=Ada', '--skip_cach', '-s');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /hello world/);
    assert.deepEqual(warnings(r), [
      'WARNING: --woh is used by nothing in this run (did you mean --who?)',
      'WARNING: --skip_cach is used by nothing in this run (did you mean --skip_cache?)',
    ]);
    const mlcr = await s.bin('mlcr', 'get,greeting', '--wh=Ada', '--quiet', '-s');
    assert.deepEqual(warnings(mlcr), [
      'WARNING: --wh is used by nothing in this run (did you mean --who?)',
    ]);
  });

  test('a failed run warns too; a script that is not found does not', async () => {
    const s = scriptSandbox(GREETING);
    const r = await s.run('get broken', '--whoo=x', '-s');
    assert.notEqual(r.code, 0);
    assert.deepEqual(warnings(r), [
      'WARNING: --whoo is used by nothing in this run (did you mean --who?)',
    ]);
    const missing = await s.run('get nothing-here', '--who=x', '-s');
    assert.notEqual(missing.code, 0);
    assert.deepEqual(warnings(missing), []);
  });
});
