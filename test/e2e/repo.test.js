// End-to-end tests of repo management: real git repos (bare, over file://), real cm processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cmBin, git, writeTree } from './helpers.js';

function cm(home, args, opts = {}) {
  const env = { ...process.env, CM_REPOS: home, GIT_CONFIG_NOSYSTEM: '1' };
  delete env.CM_DEBUG;
  const r = spawnSync(process.execPath, [cmBin, ...args], {
    cwd: opts.cwd ?? dirname(home),
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

const meta = (alias, uid, automation, tags) =>
  JSON.stringify({
    alias,
    uid,
    automation_alias: automation,
    automation_uid: '3333333333333333',
    tags,
  });

/** Two bare git repos: `demo` (prefix repo/, branch dev with one more artifact, depends on `dep`,
 *  whose cmr.yaml does not say git: true). */
function makeGitRepos(root) {
  const dep = join(root, 'src', 'dep');
  writeTree(dep, {
    'cmr.yaml': 'alias: org@dep\nuid: "1111111111111111"\n',
    thing: { t1: { '_cm.json': meta('t1', '2222222222222222', 'thing', ['t']) } },
  });
  git(dep, 'init', '-q', '-b', 'main');
  git(dep, 'add', '-A');
  git(dep, 'commit', '-qm', 'init');
  git(root, 'clone', '-q', '--bare', dep, join(root, 'bare', 'dep.git'));
  const demo = join(root, 'src', 'demo');
  writeTree(demo, {
    'cmr.yaml': `alias: org@demo\nuid: "4444444444444444"\ngit: true\nprefix: repo\ndeps:\n  - alias: org@dep\n    uid: "1111111111111111"\n    url: file://${join(root, 'bare', 'dep.git')}\n`,
    repo: {
      automation: {
        thing: {
          '_cm.json': JSON.stringify({
            alias: 'thing',
            uid: '3333333333333333',
            automation_alias: 'automation',
            automation_uid: 'bbeb15d8f0a944a4',
            tags: ['automation'],
          }),
        },
      },
      thing: { d1: { '_cm.json': meta('d1', '5555555555555555', 'thing', ['d', 'main']) } },
    },
  });
  git(demo, 'init', '-q', '-b', 'main');
  git(demo, 'add', '-A');
  git(demo, 'commit', '-qm', 'init');
  git(demo, 'checkout', '-qb', 'dev');
  writeTree(demo, {
    repo: { thing: { d2: { '_cm.json': meta('d2', '6666666666666666', 'thing', ['d', 'dev']) } } },
  });
  git(demo, 'add', '-A');
  git(demo, 'commit', '-qm', 'dev');
  git(demo, 'checkout', '-q', 'main');
  git(root, 'clone', '-q', '--bare', demo, join(root, 'bare', 'demo.git'));
  return { demoUrl: `file://${join(root, 'bare', 'demo.git')}`, demoSrc: demo };
}

test('pulls a git repo over file:// with a branch, registers it and pulls its repo dependency', () => {
  const root = mkdtempSync(join(tmpdir(), 'cm-pull-'));
  const home = join(root, 'home');
  const { demoUrl } = makeGitRepos(root);
  const r = cm(home, ['pull', 'repo', demoUrl, '--branch=dev', '-j']);
  assert.equal(r.code, 0, r.stderr);
  const res = r.json();
  assert.equal(res.alias, 'org@demo');
  assert.ok(res.path.endsWith(`${root.split('/').filter(Boolean).join('@')}@bare@demo`), res.path);
  assert.deepEqual(res.pulled.sort(), ['org@demo', 'org@dep']);
  const repos = cm(home, ['list', 'repo', '-j'])
    .json()
    .list.map((x) => x.alias);
  assert.deepEqual(repos, ['local', 'internal', 'org@demo', 'org@dep']);
  const things = cm(home, ['find', 'thing', '-j'])
    .json()
    .list.map((x) => x.alias)
    .sort();
  assert.deepEqual(things, ['d1', 'd2', 't1']);
  assert.match(cm(home, ['show', 'repo', 'org@demo', '-j']).json().list[0].git_branch, /^dev$/);
  // A pulled repo is a git repo whether or not its cmr.yaml says so; the local one is not.
  const shown = cm(home, ['show', 'repo', 'org@dep']);
  assert.match(shown.stdout, /^git +true$/m);
  assert.match(shown.stdout, /^git_url +file:\/\/.*dep\.git$/m);
  assert.equal(cm(home, ['show', 'repo', 'local', '-j']).json().list[0].git, false);
  const typo = cm(home, ['show', 'repo', 'org@dpe']);
  assert.equal(typo.code, 16);
  assert.match(typo.stderr, /repository "org@dpe" not found\n {2}hint: did you mean "org@dep"\?/);
  rmSync(root, { recursive: true, force: true });
});

test('re-pulling an existing repo updates it with new commits', () => {
  const root = mkdtempSync(join(tmpdir(), 'cm-repull-'));
  const home = join(root, 'home');
  const { demoUrl, demoSrc } = makeGitRepos(root);
  assert.equal(cm(home, ['pull', 'repo', `--url=${demoUrl}`]).code, 0);
  assert.deepEqual(cm(home, ['find', 'thing', '--tags=main', '-j']).json().list.length, 1);
  writeTree(demoSrc, {
    repo: { thing: { d3: { '_cm.json': meta('d3', '7777777777777777', 'thing', ['main']) } } },
  });
  git(demoSrc, 'add', '-A');
  git(demoSrc, 'commit', '-qm', 'more');
  git(demoSrc, 'push', '-q', join(root, 'bare', 'demo.git'), 'main');
  const again = cm(home, ['pull', 'repo', demoUrl]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    cm(home, ['find', 'thing', '--tags=main', '-j'])
      .json()
      .list.map((x) => x.alias)
      .sort(),
    ['d1', 'd3'],
  );
  // cm pull repo without a name updates every repo it cloned, also org@dep (no git: true).
  const depSrc = join(root, 'src', 'dep');
  writeTree(depSrc, {
    thing: { t2: { '_cm.json': meta('t2', '8888888888888888', 'thing', ['t']) } },
  });
  git(depSrc, 'add', '-A');
  git(depSrc, 'commit', '-qm', 'more');
  git(depSrc, 'push', '-q', join(root, 'bare', 'dep.git'), 'main');
  const all = cm(home, ['pull', 'repo', '-j']);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(all.json().updated.sort(), ['org@demo', 'org@dep']);
  assert.equal(cm(home, ['find', 'thing', 't2', '-j']).json().list.length, 1);
  rmSync(root, { recursive: true, force: true });
});

test('a URL that is not a git repo fails with rc 1, says why and leaves nothing behind', () => {
  const root = mkdtempSync(join(tmpdir(), 'cm-badurl-'));
  const home = join(root, 'home');
  mkdirSync(join(root, 'plain'));
  const r = cm(home, ['pull', 'repo', `file://${join(root, 'plain')}`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /repository was not cloned/);
  assert.match(r.stderr, /not appear to be a git repository/);
  assert.equal(r.stdout, '');
  assert.deepEqual(JSON.parse(readFileSync(join(home, 'repos.json'), 'utf8')), []);
  assert.equal(
    existsSync(join(home, 'repos', `${root.split('/').filter(Boolean).join('@')}@plain`)),
    false,
  );
  assert.equal(cm(home, ['pull', 'repo', demoUrlLike(root), '--branch=-x']).code, 1);
  rmSync(root, { recursive: true, force: true });
});

function demoUrlLike(root) {
  return `file://${join(root, 'nothing.git')}`;
}

test('init, add into it, rm (keeps files), import, pack, rm --all and unpack round-trip a repo', () => {
  const root = mkdtempSync(join(tmpdir(), 'cm-init-'));
  const home = join(root, 'home');
  const init = cm(home, ['init', 'repo', 'my-repo', '--desc=hello', '--prefix=src', '-j']);
  assert.equal(init.code, 0, init.stderr);
  const repoPath = join(home, 'repos', 'my-repo');
  assert.match(
    readFileSync(join(repoPath, 'cmr.yaml'), 'utf8'),
    /alias: my-repo\ndesc: hello\ngit: false\nprefix: src\nuid: ['"]?[0-9a-f]{16}/,
  );
  assert.equal(cm(home, ['init', 'repo', 'my-repo']).code, 1);
  assert.equal(cm(home, ['add', 'automation', 'dataset']).code, 0);
  assert.equal(cm(home, ['add', 'dataset', 'my-repo:in-repo', '--tags=x']).code, 0);
  assert.ok(existsSync(join(repoPath, 'src', 'dataset', 'in-repo', '_cm.json')));
  assert.deepEqual(
    cm(home, ['find', 'dataset', 'my-repo:*', '-j'])
      .json()
      .list.map((x) => x.alias),
    ['in-repo'],
  );

  const refused = cm(home, ['rm', 'repo', 'my-repo']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /without confirmation/);
  assert.equal(cm(home, ['rm', 'repo', 'my-repo', '-f']).code, 0);
  assert.ok(existsSync(repoPath));
  assert.deepEqual(cm(home, ['find', 'dataset', '-j']).json().list, []);
  assert.equal(cm(home, ['import', 'repo', `--path=${join(repoPath, 'src', 'dataset')}`]).code, 0);
  assert.equal(cm(home, ['find', 'dataset', 'in-repo', '-j']).json().list.length, 1);

  const pack = cm(home, ['pack', 'repo', 'my-repo', '-j'], { cwd: root });
  assert.equal(pack.code, 0, pack.stderr);
  assert.ok(existsSync(join(root, 'cm.zip')));
  assert.equal(cm(home, ['rm', 'repo', 'my-repo', '--all', '-f']).code, 0);
  assert.equal(existsSync(repoPath), false);
  const unpack = cm(home, ['unpack', 'repo', '-j'], { cwd: root });
  assert.equal(unpack.code, 0, unpack.stderr);
  assert.equal(unpack.json().alias, 'my-repo');
  assert.equal(cm(home, ['find', 'dataset', 'in-repo', '-j']).json().list[0].repo_alias, 'my-repo');
  assert.equal(cm(home, ['unpack', 'repo'], { cwd: root }).code, 1);
  rmSync(root, { recursive: true, force: true });
});

test('a repo whose cmr.yaml is broken is reported and skipped, the rest keeps working', () => {
  const root = mkdtempSync(join(tmpdir(), 'cm-badcmr-'));
  const home = join(root, 'home');
  writeTree(root, {
    broken: { 'cmr.yaml': 'alias: [unclosed\n' },
    noalias: { 'cmr.yaml': 'uid: "1234567890abcdef"\n' },
  });
  const imp = cm(home, ['import', 'repo', `--path=${join(root, 'broken')}`]);
  assert.equal(imp.code, 4);
  assert.match(imp.stderr, /broken\/cmr\.yaml:\d+: malformed YAML/);
  const imp2 = cm(home, ['import', 'repo', `--path=${join(root, 'noalias')}`]);
  assert.equal(imp2.code, 1);
  assert.match(imp2.stderr, /cmr\.yaml: alias must be a non-empty string/);
  // Registered by hand, then broken: a warning, and other commands still work.
  writeFileSync(join(home, 'repos.json'), JSON.stringify([join(root, 'noalias')]));
  const list = cm(home, ['list', 'repo']);
  assert.equal(list.code, 0);
  assert.match(list.stderr, /WARNING: repo skipped: .*alias must be a non-empty string/);
  assert.doesNotMatch(list.stdout, /noalias/);
  rmSync(root, { recursive: true, force: true });
});

test('reindex rebuilds the index and detect reports the repo of the current folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'cm-reindex-'));
  const home = join(root, 'home');
  assert.equal(cm(home, ['add', 'automation', 'dataset']).code, 0);
  assert.equal(cm(home, ['add', 'dataset', 'one']).code, 0);
  writeFileSync(join(home, 'index-ts.bin'), '{ not an index');
  assert.equal(cm(home, ['find', 'dataset', 'one', '-j']).json().list.length, 1);
  const re = cm(home, ['reindex', 'repo', '-j']);
  assert.equal(re.code, 0);
  assert.ok(re.json().artifacts >= 5);
  const inside = cm(home, ['detect', 'repo', '-j'], {
    cwd: join(home, 'repos', 'local', 'dataset', 'one'),
  }).json();
  assert.equal(inside.alias, 'local');
  assert.equal(inside.automation_alias, 'dataset');
  assert.equal(inside.artifact_alias, 'one');
  const outside = cm(home, ['detect', 'repo'], { cwd: root });
  assert.equal(outside.code, 0);
  assert.match(outside.stdout, /CM repository not found/);
  rmSync(root, { recursive: true, force: true });
});
