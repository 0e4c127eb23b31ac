// End-to-end: the `utils` automation (download_file, unzip_file, system) through the CLI, against a
// real HTTP server on 127.0.0.1, and called from a catalog script's Python hook via cmind.access.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { parallel, sandbox } from './helpers.js';
import { catalogSandbox } from './script-fixtures.js';

const unix = (mode) => ({ os: 3, attrs: (mode << 16) >>> 0 });
const good = zipSync({
  'pkg-1.0/README': [new TextEncoder().encode('read me\n'), unix(0o644)],
  'pkg-1.0/bin/tool': [new TextEncoder().encode('#!/bin/sh\necho tool ok\n'), unix(0o755)],
});
const evil = zipSync({
  'fine.txt': new TextEncoder().encode('fine'),
  '../escaped.txt': new TextEncoder().encode('evil'),
});
const link = zipSync({
  'fine.txt': new TextEncoder().encode('fine'),
  up: [new TextEncoder().encode('/etc'), unix(0o120777)],
});

let server;
let base;
before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/pkg.zip') {
      res.writeHead(200, { 'content-length': good.length });
      res.end(Buffer.from(good));
    } else if (req.url === '/evil.zip') {
      res.end(Buffer.from(evil));
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: '/pkg.zip' });
      res.end();
    } else if (req.url === '/stall') {
      // Sends a byte, then nothing.
      res.writeHead(200, { 'content-length': 10 });
      res.write('0');
    } else if (req.url === '/half') {
      // Promises 1000 bytes, sends 10 and drops the connection.
      res.writeHead(200, { 'content-length': 1000 });
      res.write('0123456789', () => res.socket.destroy());
    } else {
      res.writeHead(404);
      res.end('no');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

describe('utils automation', parallel, () => {
  test('download_file follows redirects into --path; a failed download leaves only its resumable part', async () => {
    const s = sandbox('cm-utils-');
    const r = await s.cm('download_file', 'utils', `--url=${base}/moved`, '--path=dl', '-j');
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.equal(out.path, join(s.dir, 'dl', 'moved'));
    assert.equal(out.size, good.length);
    assert.deepEqual(new Uint8Array(readFileSync(out.path)), good);
    const named = await s.cm('download_file', 'utils', `--url=${base}/pkg.zip`, '--filename=p.zip');
    assert.equal(named.code, 0, named.stderr);
    assert.ok(existsSync(join(s.dir, 'p.zip')));

    const missing = await s.cm('download_file', 'utils', `--url=${base}/nothing`, '--path=dl');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /HTTP 404/);
    const half = await s.cm(
      'download_file',
      'utils',
      `--url=${base}/half`,
      '--path=dl',
      '--retries=1',
      '--retry_wait=0.01',
    );
    assert.equal(half.code, 1);
    assert.match(half.stderr, /after 10 of 1000 bytes|connection closed|aborted|socket hang up/);
    // The cut download is kept as .part, to resume next time; never under the final name.
    assert.deepEqual(readdirSync(join(s.dir, 'dl')).sort(), [
      'half.part',
      'half.part.json',
      'moved',
    ]);
    assert.match(
      half.stderr,
      /10 bytes are kept in .*half\.part; running the same command again resumes/,
    );
    rmSync(join(s.dir, 'dl', 'half.part'));
    rmSync(join(s.dir, 'dl', 'half.part.json'));
    const stalled = await s.cm(
      'download_file',
      'utils',
      `--url=${base.replace('//', '//user:secret@')}/stall`,
      '--path=dl',
      '--timeout=1',
      '--retries=0',
    );
    assert.equal(stalled.code, 1);
    assert.match(stalled.stderr, /no data for 1 s/);
    assert.doesNotMatch(stalled.stderr, /secret/, 'credentials are not printed');
    assert.deepEqual(
      readdirSync(join(s.dir, 'dl')).sort(),
      ['moved', 'stall.part', 'stall.part.json'],
      'the stalled download left only its resumable part (and where it came from)',
    );
    const bad = await s.cm('download_file', 'utils', '--url=not a url');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /is not a URL/);
    s.cleanup();
  });

  test('unzip_file strips folders and keeps modes; an entry escaping the folder refuses the archive', async () => {
    const s = sandbox('cm-utils-');
    writeFileSync(join(s.dir, 'pkg.zip'), good);
    writeFileSync(join(s.dir, 'evil.zip'), evil);
    writeFileSync(join(s.dir, 'link.zip'), link);
    const r = await s.cm(
      'unzip_file',
      'utils',
      '--filename=pkg.zip',
      '--path=x',
      '--strip_folders=1',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(s.dir, 'x', 'README'), 'utf8'), 'read me\n');
    assert.equal(statSync(join(s.dir, 'x', 'bin', 'tool')).mode & 0o777, 0o755);
    const e = await s.cm('unzip_file', 'utils', '--filename=evil.zip', '--path=y');
    assert.equal(e.code, 1);
    assert.match(e.stderr, /"\.\.\/escaped\.txt" has "\.\." and would be written outside/);
    assert.ok(!existsSync(join(s.dir, 'y', 'fine.txt')), 'nothing was unpacked');
    assert.ok(!existsSync(join(s.dir, 'escaped.txt')));
    const l = await s.cm('unzip_file', 'utils', '--filename=link.zip', '--path=z');
    assert.equal(l.code, 1);
    assert.match(l.stderr, /"up" is a symbolic link/);
    assert.ok(!existsSync(join(s.dir, 'z')), 'nothing was unpacked');
    const neg = await s.cm('unzip_file', 'utils', '--filename=pkg.zip', '--strip_folders=-1');
    assert.equal(neg.code, 1);
    assert.match(neg.stderr, /strip_folders must be 0 or more/);
    const sys = (
      await s.cm('system', 'utils', '--cmd=./x/bin/tool; echo err >&2; exit 4', '-j')
    ).json();
    assert.deepEqual([sys.ret, sys.stdout, sys.stderr], [4, 'tool ok', 'err']);
    s.cleanup();
  });

  test('a Python hook downloads and unpacks through cmind.access, in its own working folder', async () => {
    const s = await catalogSandbox('cm-catalog');
    const r = await s.runJ('get fake-archive', `--url=${base}/pkg.zip`);
    assert.equal(r.new_env.CM_FAKE_ARCHIVE_TOOL_SAYS, 'tool ok');
    assert.equal(r.new_env.CM_FAKE_ARCHIVE_PATH, r.cache_entry);
    assert.equal(r.new_env.CM_FAKE_ARCHIVE_FILE, join(r.cache_entry, 'pkg.zip'));
    assert.ok(existsSync(join(r.cache_entry, 'bin', 'tool')));
    assert.ok(!existsSync(join(s.dir, 'pkg.zip')), 'nothing lands in the caller folder');
    const again = await s.runJ('get fake-archive', `--url=${base}/pkg.zip`);
    assert.equal(again.cache_entry, r.cache_entry);
    const fail = await s.run('get fake-archive', `--url=${base}/gone.zip`, '--new');
    assert.notEqual(fail.code, 0);
    assert.match(fail.stderr + fail.stdout, /HTTP 404/);
  });
});
