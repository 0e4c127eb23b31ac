import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detailsAsTags, mlcCommand, mlceArgs } from './mlc.js';

const cmArgv = (...argv: string[]): string[] => {
  const c = mlcCommand(argv);
  assert.equal(c.kind, 'cm', `mlc ${argv.join(' ')} is a cm command`);
  return c.kind === 'cm' ? c.argv : [];
};

test('mlc ACTION TARGET maps to the CM action and automation of the target', () => {
  const table: Array<[string[], string[]]> = [
    [
      ['find', 'script', '--tags=detect,os'],
      ['search', 'script', '--tags=detect,os'],
    ],
    [
      ['search', 'script', 'detect-os'],
      ['search', 'script', 'detect-os'],
    ],
    [
      ['list', 'script'],
      ['search', 'script'],
    ],
    [
      ['show', 'script', 'detect-os'],
      ['show', 'script', 'detect-os'],
    ],
    [
      ['rm', 'script', 'x', '-f'],
      ['delete', 'script', 'x', '-f'],
    ],
    [
      ['cp', 'script', 'a', 'local:b'],
      ['copy', 'script', 'a', 'local:b'],
    ],
    [
      ['mv', 'script', 'a', 'b'],
      ['move', 'script', 'a', 'b'],
    ],
    [
      ['pull', 'repo', 'mlcommons@mlperf-automations'],
      ['pull', 'repo', 'mlcommons@mlperf-automations'],
    ],
    [
      ['pull', 'repos'],
      ['pull', 'repo'],
    ],
    [
      ['add', 'repo', 'my-repo'],
      ['init', 'repo', 'my-repo'],
    ],
    [
      ['find', 'repo', 'local'],
      ['search', 'repo', 'local'],
    ],
    [
      ['list', 'repo'],
      ['show', 'repo'],
    ],
    [
      ['show', 'repo'],
      ['show', 'repo'],
    ],
    [
      ['rm', 'repo', 'x', '-f'],
      ['delete', 'repo', 'x', '-f'],
    ],
    [
      ['show', 'cache'],
      ['show', 'cache'],
    ],
    [
      ['list', 'cache'],
      ['show', 'cache'],
    ],
    [
      ['rm', 'cache', '-f'],
      ['delete', 'cache', '-f'],
    ],
    [
      ['prune', 'cache', '--dry_run'],
      ['prune', 'cache', '--dry_run'],
    ],
    [
      ['find', 'experiment'],
      ['search', 'experiment'],
    ],
    [
      ['experiment', 'script', 'detect,os'],
      ['run', 'experiment', '--tags=detect,os'],
    ],
    [['reindex'], ['reindex', 'repo']],
    // Anything else is CM's own: other actions and automations pass through.
    [
      ['load', 'script', 'detect-os'],
      ['load', 'script', 'detect-os'],
    ],
    [
      ['find', 'dataset', '--tags=x'],
      ['find', 'dataset', '--tags=x'],
    ],
  ];
  for (const [mlc, cm] of table) assert.deepEqual(cmArgv(...mlc), cm, `mlc ${mlc.join(' ')}`);
});

test('the first word after script or cache is tags as mlcflow reads it', () => {
  assert.deepEqual(cmArgv('run', 'script', 'detect,os', '-j'), [
    'run',
    'script',
    '--tags=detect,os',
    '-j',
  ]);
  assert.deepEqual(cmArgv('run', 'script', 'detect os'), ['run', 'script', '--tags=detect,os']);
  // run: a plain word is tags too (mlcr detect-os), but a uid or ALIAS,UID is a name.
  assert.deepEqual(cmArgv('run', 'script', 'detect-os'), ['run', 'script', '--tags=detect-os']);
  assert.deepEqual(cmArgv('run', 'script', '863735b7db8c44fc'), [
    'run',
    'script',
    '863735b7db8c44fc',
  ]);
  assert.deepEqual(cmArgv('run', 'script', 'detect-os,863735b7db8c44fc'), [
    'run',
    'script',
    'detect-os,863735b7db8c44fc',
  ]);
  // find/show: a plain word is the alias.
  assert.deepEqual(cmArgv('find', 'script', 'detect-os'), ['search', 'script', 'detect-os']);
  assert.deepEqual(cmArgv('find', 'script', 'detect,os'), ['search', 'script', '--tags=detect,os']);
  // With --tags the word stays a name; flags and @files before it are kept in place.
  assert.deepEqual(cmArgv('find', 'script', 'x,y', '--tags=a'), [
    'search',
    'script',
    'x,y',
    '--tags=a',
  ]);
  assert.deepEqual(cmArgv('run', 'script', '-j', '@in.json', 'a b'), [
    'run',
    'script',
    '-j',
    '@in.json',
    '--tags=a,b',
  ]);
  assert.deepEqual(cmArgv('run', 'script', '--', 'a,b'), ['run', 'script', '--', 'a,b']);
  // cache: every word but a uid is tags.
  assert.deepEqual(cmArgv('find', 'cache', 'python'), ['search', 'cache', '--tags=python']);
  assert.deepEqual(cmArgv('rm', 'cache', '0123456789abcdef', '-f'), [
    'delete',
    'cache',
    '0123456789abcdef',
    '-f',
  ]);
  // repo: the word is the repo.
  assert.deepEqual(cmArgv('find', 'repo', 'a,b'), ['search', 'repo', 'a,b']);
  assert.deepEqual(detailsAsTags(['x'], false), ['x']);
  assert.deepEqual(mlceArgs(['detect os']), ['run', 'experiment', '--tags=detect,os']);
});

test('mlc pull repo reads mlcflow flags --tag and --shallow as --checkout and --depth=1', () => {
  assert.deepEqual(cmArgv('pull', 'repo', 'u', '--tag=v1', '--shallow'), [
    'pull',
    'repo',
    'u',
    '--checkout=v1',
    '--depth=1',
  ]);
  assert.deepEqual(cmArgv('pull', 'repo', 'u', '--', '--tag=v1'), [
    'pull',
    'repo',
    'u',
    '--',
    '--tag=v1',
  ]);
});

test('help: general, per target, per action (then CM prints the flags), per script', () => {
  for (const argv of [['--help'], ['-h'], ['help']]) {
    const c = mlcCommand(argv);
    assert.equal(c.kind, 'text');
    if (c.kind === 'text') assert.match(c.text, /^usage: mlc ACTION TARGET/m);
  }
  const bare = mlcCommand([]);
  assert.ok(bare.kind === 'text' && /^usage: mlc /.test(bare.text));
  for (const argv of [['script', '--help'], ['help', 'script'], ['script']]) {
    const c = mlcCommand(argv);
    assert.ok(c.kind === 'text' && /^==== target script =/.test(c.text), argv.join(' '));
  }
  const action = mlcCommand(['run', 'script', '--help']);
  assert.equal(action.kind, 'cm');
  if (action.kind === 'cm') {
    assert.deepEqual(action.argv, ['run', 'script', '--help']);
    assert.match(action.preface ?? '', /^==== script: run =/m);
  }
  // With tags, --help is the help of that script.
  const script = mlcCommand(['run', 'script', 'detect,os', '--help']);
  assert.ok(script.kind === 'cm' && script.preface === undefined);
  assert.deepEqual(cmArgv('help', 'script', 'detect,os'), ['help', 'script', '--tags=detect,os']);
  const overview = mlcCommand(['find', '--help']);
  assert.ok(overview.kind === 'text' && /mlc find cache/.test(overview.text));
});

test('mlc version and a missing target', () => {
  for (const v of ['version', '--version', '-V']) assert.deepEqual(cmArgv(v), ['version']);
  assert.throws(() => mlcCommand(['pull']), { code: 'automation-not-specified' });
});
