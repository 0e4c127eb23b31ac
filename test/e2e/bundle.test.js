// Offline bundles through the real CLI: a run that downloads over HTTP (a server on 127.0.0.1)
// from a script repo pulled over file:// is locked and bundled; in a fresh CM home, with the server
// stopped and the repo's origin gone, `cm bundle install` and the frozen run download nothing.
// Damaged, foreign and newer bundles are refused, naming what is wrong, and install nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { git, sandbox } from './helpers.js';

const payload = Buffer.from('the bytes of the model, once: bundled-payload-7f3a\n');
const sha256 = createHash('sha256').update(payload).digest('hex');
const yaml = (o) => JSON.stringify(o, null, 2);

/** An HTTP server on 127.0.0.1 serving /model.bin; counts the requests. */
async function startServer() {
  const seen = { requests: 0 };
  const server = createServer((req, res) => {
    seen.requests++;
    if (req.url === '/model.bin') {
      res.writeHead(200, { 'content-length': payload.length });
      res.end(payload);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const stop = () => new Promise((ok) => server.close(ok));
  return { url: `http://127.0.0.1:${server.address().port}/model.bin`, seen, stop };
}

/** `tar ARGS` of the system (GNU or bsd tar), to read and write bundles as another tool would. */
function tar(cwd, ...args) {
  const r = spawnSync('tar', args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `tar ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A sandbox whose run of "bd app" is locked in lock.json and bundled into out/b.tar: bd-app (in a
 * repo pulled from bd-repo.git over file://) runs after download-file fetched model.bin over HTTP.
 * The server is stopped once the bundle is made: what follows is offline.
 */
async function bundledRun() {
  const s = sandbox('cm-bundle-');
  const { url, seen, stop } = await startServer();
  const work = join(s.dir, 'bd-repo');
  s.write({
    'bd-repo': {
      'cmr.yaml': 'alias: bd-repo\nuid: 2b0ad1e000000001\n',
      script: {
        'bd-app': {
          '_cm.yaml': yaml({
            alias: 'bd-app',
            uid: '2b0ad1e000000002',
            automation_alias: 'script',
            automation_uid: '5b4e0237da074764',
            tags: ['bd', 'app'],
            deps: [{ tags: 'download,file', env: { CM_DOWNLOAD_URL: url } }],
          }),
          'run.sh': '#!/bin/bash\ncp "$CM_DOWNLOAD_DOWNLOADED_PATH" used.bin\n',
        },
      },
    },
  });
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'bd app');
  git(s.dir, 'clone', '-q', '--bare', work, 'bd-repo.git');
  const origin = `file://${join(s.dir, 'bd-repo.git')}`;
  const pulled = await s.cm('pull', 'repo', origin);
  assert.equal(pulled.code, 0, pulled.stderr);
  const ran = await s.cm('run', 'script', 'bd app', '--lock=lock.json', '-s');
  assert.equal(ran.code, 0, ran.stderr);
  const made = await s.cm('bundle', 'create', '--lock=lock.json', '--out=out/b.tar', '-j');
  assert.equal(made.code, 0, made.stderr);
  await stop();
  return {
    requests: seen.requests,
    s,
    origin,
    commit: git(work, 'rev-parse', 'HEAD'),
    bundle: join(s.dir, 'out', 'b.tar'),
    made: made.json(),
  };
}

/** A fresh CM home with `bundle` copied in as NAME. */
function elsewhere(bundle, name = 'b.tar') {
  const t = sandbox('cm-bundle-offline-');
  cpSync(bundle, join(t.dir, name));
  return t;
}

async function registeredAliases(t) {
  const repos = await t.cm('list', 'repo', '-j');
  assert.equal(repos.code, 0, repos.stderr);
  return repos.json().list.map((r) => r.alias);
}

/** What a failed install must leave: no repo registered, no file in the download store. */
async function assertNothingInstalled(t) {
  assert.ok(!(await registeredAliases(t)).includes('bd-repo'), 'bd-repo registered');
  const cloned = existsSync(join(t.home, 'repos')) ? readdirSync(join(t.home, 'repos')) : [];
  assert.deepEqual(
    cloned.filter((n) => n !== 'local'),
    [],
    'a clone left in the CM home',
  );
  assert.ok(!existsSync(join(t.home, 'downloads')), 'files in the download store');
  assert.deepEqual(
    readdirSync(t.home).filter((n) => n.startsWith('.bundle-')),
    [],
    'a scratch folder left behind',
  );
}

describe('offline bundles', () => {
  test('a bundle installed in a fresh home runs the locked tree frozen with the server stopped, downloading nothing', async () => {
    const { s, origin, commit, bundle, made, requests } = await bundledRun();
    assert.equal(requests, 1, 'the locked run downloaded over HTTP');
    assert.deepEqual(made.repos, [{ alias: 'bd-repo', commit }]);
    assert.deepEqual(made.downloads, [{ file: 'model.bin', sha256 }]);
    // A plain tar that another tool reads; the manifest first.
    const listed = tar(s.dir, '-tf', bundle).trim().split('\n');
    assert.deepEqual(listed, [
      'cm-bundle.json',
      'cm-lock.json',
      'repos/bd-repo.bundle',
      `downloads/${sha256}/model.bin`,
    ]);
    const manifest = JSON.parse(tar(s.dir, '-xOf', bundle, 'cm-bundle.json'));
    assert.equal(manifest.cm_bundle, 1);
    assert.deepEqual(manifest.repos, [
      {
        alias: 'bd-repo',
        uid: '2b0ad1e000000001',
        url: origin,
        commit,
        file: 'repos/bd-repo.bundle',
      },
    ]);
    assert.deepEqual(
      manifest.files.find((f) => f.path.endsWith('model.bin')),
      { path: `downloads/${sha256}/model.bin`, sha256, size: payload.length },
    );

    // Offline: the server is stopped, and no origin repo is left to clone from.
    renameSync(join(s.dir, 'bd-repo.git'), join(s.dir, 'gone.git'));
    const t = elsewhere(bundle);
    const installed = await t.cm('bundle', 'install', 'b.tar', '-j');
    assert.equal(installed.code, 0, installed.stderr);
    const result = installed.json();
    assert.equal(result.command, "cm run script 'bd app' --frozen=cm-lock.json");
    const stored = join(t.home, 'downloads', 'sha256', sha256, 'model.bin');
    assert.deepEqual(result.downloads, [{ file: 'model.bin', sha256, path: stored }]);
    assert.deepEqual(readFileSync(stored), payload);
    const shown = (await t.cm('show', 'repo', 'bd-repo', '-j')).json().list[0];
    assert.deepEqual([shown.git_url, shown.git_commit], [origin, commit]);

    const frozen = await t.cm('run', 'script', 'bd app', '--frozen=cm-lock.json');
    assert.equal(frozen.code, 0, frozen.stderr);
    assert.match(frozen.stderr, /model\.bin taken from the download store \(.*, sha256 verified\)/);
    assert.deepEqual(readFileSync(join(t.dir, 'used.bin')), payload);
    // The store serves a download by its checksum too, whatever the URL (port 1: nothing there).
    const byContent = await t.cm(
      'download_file',
      'utils',
      '--url=http://127.0.0.1:1/renamed.bin',
      `--sha256=${sha256}`,
      '--retries=0',
      '-j',
    );
    assert.equal(byContent.code, 0, byContent.stderr);
    assert.equal(byContent.json().from_store, stored);
    assert.deepEqual(readFileSync(join(t.dir, 'renamed.bin')), payload);
    // Installing again is a no-op for what is there already.
    const again = await t.cm('bundle', 'install', 'b.tar');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /repo bd-repo is registered here at commit [0-9a-f]{40} already/);
  });

  test('a bundle with one byte changed in a packed file is refused, naming that file, and installs nothing', async () => {
    const { bundle } = await bundledRun();
    const bytes = readFileSync(bundle);
    const at = bytes.indexOf(payload);
    assert.ok(at > 0);
    bytes[at + 4] ^= 0x20;
    const t = elsewhere(bundle, 'ok.tar');
    writeFileSync(join(t.dir, 'bad.tar'), bytes);
    const r = await t.cm('bundle', 'install', 'bad.tar');
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `bad\\.tar does not match its manifest \\(nothing was installed\\):\\n {2}downloads/${sha256}/model\\.bin: sha256 [0-9a-f]{64}, the manifest says ${sha256}`,
      ),
    );
    assert.match(r.stderr, /hint: the bundle was damaged or changed after it was made/);
    assert.ok(!existsSync(join(t.dir, 'cm-lock.json')));
    await assertNothingInstalled(t);
  });

  test('a missing file, a file that is not a tar, a tar that is not a bundle and a newer format are refused', async () => {
    const { bundle } = await bundledRun();
    const t = elsewhere(bundle);
    const missing = await t.cm('bundle', 'install', 'nope.tar');
    assert.equal(missing.code, 16, missing.stderr);
    assert.match(missing.stderr, /bundle nope\.tar not found\n {2}hint: /);
    writeFileSync(join(t.dir, 'junk.tar'), 'not a tar at all\n'.repeat(100));
    const junk = await t.cm('bundle', 'install', 'junk.tar');
    assert.equal(junk.code, 1);
    assert.match(junk.stderr, /junk\.tar is not a CM bundle: it cannot be read as a tar/);
    assert.match(junk.stderr, /hint: make one with cm bundle create --lock=FILE --out=B\.tar/);
    mkdirSync(join(t.dir, 'plain'));
    writeFileSync(join(t.dir, 'plain', 'notes.txt'), 'hello\n');
    tar(t.dir, '-cf', 'plain.tar', '-C', 'plain', 'notes.txt');
    const plain = await t.cm('bundle', 'install', 'plain.tar');
    assert.match(plain.stderr, /plain\.tar is not a CM bundle: it holds no cm-bundle\.json/);
    // The same bundle, repacked by another tar with a manifest of a format to come.
    const unpacked = join(t.dir, 'unpacked');
    mkdirSync(unpacked);
    tar(unpacked, '-xf', join(t.dir, 'b.tar'));
    const manifestFile = join(unpacked, 'cm-bundle.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, cm_bundle: 99 }));
    tar(unpacked, '-cf', join(t.dir, 'newer.tar'), '.');
    const newer = await t.cm('bundle', 'install', 'newer.tar');
    assert.equal(newer.code, 1);
    assert.match(
      newer.stderr,
      /newer\.tar was made by a newer CM: bundle format 99 \(this CM reads format 1\)/,
    );
    assert.match(newer.stderr, /hint: install it with CM \S+ or newer/);
    await assertNothingInstalled(t);
    // Repacked by another tar as it was: installs.
    writeFileSync(manifestFile, JSON.stringify(manifest));
    tar(unpacked, '-cf', join(t.dir, 'repacked.tar'), '.');
    const repacked = await t.cm('bundle', 'install', 'repacked.tar', '--lock=repacked.json', '-s');
    assert.equal(repacked.code, 0, repacked.stderr);
    assert.ok((await registeredAliases(t)).includes('bd-repo'));
  });

  test('create refuses a repo locked with uncommitted changes (unless --allow-dirty) and names a downloaded file it cannot find', async () => {
    const { s } = await bundledRun();
    const lock = JSON.parse(readFileSync(join(s.dir, 'lock.json'), 'utf8'));
    lock.repos['bd-repo'].dirty = true;
    writeFileSync(join(s.dir, 'dirty.json'), JSON.stringify(lock));
    const dirty = await s.cm('bundle', 'create', '--lock=dirty.json', '--out=d.tar');
    assert.equal(dirty.code, 1);
    assert.match(dirty.stderr, /repo bd-repo had uncommitted changes when dirty\.json was written/);
    assert.match(dirty.stderr, /hint: .*--allow-dirty/);
    assert.ok(!existsSync(join(s.dir, 'd.tar')));
    const allowed = await s.cm(
      'bundle',
      'create',
      '--lock=dirty.json',
      '--out=d.tar',
      '--allow-dirty',
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    // The downloaded file changed where the run left it: named, with how to get it again.
    writeFileSync(join(s.dir, 'model.bin'), 'other bytes\n');
    const gone = await s.cm('bundle', 'create', '--lock=lock.json', '--out=g.tar');
    assert.equal(gone.code, 16);
    assert.match(
      gone.stderr,
      new RegExp(`model\\.bin \\(sha256 ${sha256}\\): .*model\\.bin has other bytes`),
    );
    assert.match(gone.stderr, /hint: download them again .*--frozen=lock\.json/);
    const help = await s.cm('bundle', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^cm bundle create --lock=FILE --out=B\.tar/);
    assert.match(help.stdout, /\ncm bundle install B\.tar/);
  });
});
