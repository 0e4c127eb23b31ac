// Adversarial: a URL's password and the values of secret-looking keys (*TOKEN*, *PASSWORD*,
// *SECRET*, *_KEY) are masked in every message and never written into tags, metas, the index,
// cache state or generated shell files; the native step still gets them, through its environment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, sandbox } from '../e2e/helpers.js';
import { scriptSandbox } from '../e2e/script-fixtures.js';

const PASSWORD = 's3cretPW';
let server;
let port;
let tarball;

before(async () => {
  const src = sandbox('cm-sec-secret-src-');
  src.write({ 'payload/hello.txt': 'hello\n' });
  spawnSync('tar', ['-cf', 'a.tar', 'payload'], { cwd: src.dir });
  tarball = readFileSync(join(src.dir, 'a.tar'));
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-length': tarball.length });
    res.end(tarball);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  port = server.address().port;
});
after(() => server.close());

/** Files under `dir` (recursively) whose content holds `needle`. */
function filesHolding(dir, needle) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesHolding(p, needle));
    else if (statSync(p).size < 10_000_000 && readFileSync(p).includes(needle)) out.push(p);
  }
  return out;
}

test(
  'a URL password stays out of messages, tags, the index, cache state and shell files',
  parallel,
  async () => {
    const s = sandbox('cm-sec-secret-');
    const url = `http://alice:${PASSWORD}@127.0.0.1:${port}/a.tar`;
    const r = await s.bin('cmr', 'dae _extract', `--url=${url}`, '--force_cache', '-v');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(PASSWORD));
    assert.match(r.stderr, /http:\/\/\*\*\*@127\.0\.0\.1/);
    assert.deepEqual(filesHolding(s.dir, PASSWORD), []);
    const show = await s.cm('show', 'cache', '--tags=download-and-extract');
    assert.equal(show.code, 0, show.stderr);
    assert.doesNotMatch(show.stdout + show.stderr, new RegExp(PASSWORD));
    // The same command again reuses the entries (the masked tags still match).
    const again = await s.bin('cmr', 'dae _extract', `--url=${url}`, '--force_cache', '-j', '-s');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.json().cache_entry ?? '', /cache/);
    assert.doesNotMatch(again.stderr, new RegExp(PASSWORD));
  },
);

test('_wget and _curl never print the password', parallel, async () => {
  const s = sandbox('cm-sec-secret-');
  for (const tool of ['wget', 'curl']) {
    if (spawnSync(tool, ['--version']).status !== 0) continue;
    const url = `http://alice:${PASSWORD}@127.0.0.1:${port}/a.tar`;
    const r = await s.bin('cmr', `download file _${tool}`, `--url=${url}`, '-v');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(PASSWORD), tool);
    assert.deepEqual(filesHolding(s.dir, PASSWORD), [], tool);
  }
});

test(
  'a secret env key reaches run.sh through the environment, masked in its output, never on disk',
  parallel,
  async () => {
    const token = 'tok-4f9a8e7d6c5b';
    const s = scriptSandbox({
      secretive: {
        meta: { tags: ['secretive'], cache: true, new_env_keys: ['CM_MY_TOKEN', 'CM_TOKEN_LEN'] },
        run: 'echo "token is $CM_MY_TOKEN"\necho "CM_TOKEN_LEN=${#CM_MY_TOKEN}" > tmp-run-env.out',
      },
    });
    const r = await s.cm(
      'run',
      'script',
      '--tags=secretive',
      `--env.CM_MY_TOKEN=${token}`,
      '--quiet',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /token is \*\*\*/);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(token));
    assert.deepEqual(filesHolding(s.dir, token), []);
    const j = await s.cm(
      'run',
      'script',
      '--tags=secretive',
      `--env.CM_MY_TOKEN=${token}`,
      '-j',
      '-s',
    );
    assert.equal(j.json().new_env.CM_TOKEN_LEN, String(token.length));
    const failed = await s.cm(
      'run',
      'script',
      '--tags=nosuch',
      `--env.CM_DB_PASSWORD=${token}`,
      `--url=https://bob:${token}@x/y`,
    );
    assert.notEqual(failed.code, 0);
    assert.doesNotMatch(failed.stderr, new RegExp(token));
  },
);
