// End-to-end: the built-in download-file script against a real HTTP server on 127.0.0.1 that can
// drop the connection half way, answer 503, ignore or honour Range requests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cmBin, parallel, sandbox } from './helpers.js';

const data = Buffer.alloc(300_000);
for (let k = 0; k < data.length; k++) data[k] = (k * 7919) % 251;
const md5 = createHash('md5').update(data).digest('hex');
const sha256 = createHash('sha256').update(data).digest('hex');

let server;
let base;
/** Requests seen, per path and query: [{range}] */
const seen = new Map();
const hits = (key) => seen.get(key) ?? [];

before(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const key = `${u.pathname}${u.search}`;
    seen.set(key, [...hits(key), { range: req.headers.range }]);
    const n = hits(key).length;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const serve = (honourRange) => {
      if (range && honourRange) {
        const from = Number(range[1]);
        res.writeHead(206, {
          'content-length': data.length - from,
          'content-range': `bytes ${from}-${data.length - 1}/${data.length}`,
        });
        res.end(data.subarray(from));
      } else {
        res.writeHead(200, { 'content-length': data.length });
        res.end(data);
      }
    };
    if (u.pathname === '/data.bin') serve(true);
    else if (u.pathname === '/flaky.bin' || u.pathname === '/flaky-norange.bin') {
      // The first request gets half the file, then the connection is dropped.
      if (n === 1) {
        res.writeHead(200, { 'content-length': data.length });
        res.write(data.subarray(0, 100_000), () => res.socket.destroy());
      } else serve(u.pathname === '/flaky.bin');
    } else if (u.pathname === '/badrange.bin') {
      // Cut first; then answers the resume with the wrong bytes (from 0); then the whole file.
      if (n === 1) {
        res.writeHead(200, { 'content-length': data.length });
        res.write(data.subarray(0, 100_000), () => res.socket.destroy());
      } else if (range) {
        res.writeHead(206, {
          'content-length': data.length,
          'content-range': `bytes 0-${data.length - 1}/${data.length}`,
        });
        res.end(data);
      } else serve(false);
    } else if (u.pathname === '/busy.bin') {
      if (n <= 2) {
        res.writeHead(503);
        res.end('busy');
      } else serve(true);
    } else {
      res.writeHead(404);
      res.end('no');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

import { createServer } from 'node:http';

const fast = ['--retry_wait=0.01'];

describe('download-file', parallel, () => {
  test('a dropped connection is resumed with a Range request, in the same run and in the next one', async () => {
    const s = sandbox('cm-dl-');
    const r = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/flaky.bin?a`,
      `--sha256=${sha256}`,
      ...fast,
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    const file = r.json().new_env.CM_DOWNLOAD_DOWNLOADED_PATH;
    assert.equal(file, join(s.dir, 'flaky.bin'));
    assert.ok(readFileSync(file).equals(data));
    // The first request got part of the file (what reached us before the drop); the second asked
    // for the rest.
    const [h1, h2] = hits('/flaky.bin?a');
    assert.equal(h1.range, undefined);
    const from = Number(/^bytes=(\d+)-$/.exec(h2.range)?.[1]);
    assert.ok(from > 0 && from <= 100_000, h2.range);
    assert.match(r.stderr, /retry 1\/3/);
    assert.match(r.stderr, new RegExp(`Resuming .* at byte ${from}`));
    assert.deepEqual(
      readdirSync(s.dir).filter((f) => f.includes('flaky')),
      ['flaky.bin'],
    );

    // No retries: the run fails, keeps the .part and says how to resume; the next run resumes.
    const cut = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/flaky.bin?b`,
      '--retries=0',
      '--download_path=d',
    );
    assert.equal(cut.code, 1);
    assert.match(
      cut.stderr,
      /\d+ bytes are kept in .*flaky\.bin\.part; running the same command again resumes/,
    );
    assert.ok(!existsSync(join(s.dir, 'd', 'flaky.bin')));
    const again = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/flaky.bin?b`,
      '--download_path=d',
      `--md5sum=${md5}`,
    );
    assert.equal(again.code, 0, again.stderr);
    assert.ok(readFileSync(join(s.dir, 'd', 'flaky.bin')).equals(data));
    assert.deepEqual(readdirSync(join(s.dir, 'd')), ['flaky.bin']);

    // A resume answered with other bytes is dropped and fetched again from the start.
    const br = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/badrange.bin`,
      `--md5sum=${md5}`,
      ...fast,
    );
    assert.equal(br.code, 0, br.stderr);
    assert.match(
      br.stderr,
      /answered the resume with other bytes \(bytes 0-299999\/300000\); the partial file was dropped/,
    );
    assert.ok(readFileSync(join(s.dir, 'badrange.bin')).equals(data));
    assert.equal(hits('/badrange.bin').length, 3);
    // A partial file of another URL is never resumed from this one.
    const cut2 = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/flaky.bin?e`,
      '--retries=0',
      '--output_file=same.bin',
    );
    assert.equal(cut2.code, 1);
    const other = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/data.bin?f`,
      '--output_file=same.bin',
      `--md5sum=${md5}`,
    );
    assert.equal(other.code, 0, other.stderr);
    assert.deepEqual(hits('/data.bin?f'), [{ range: undefined }]);
    assert.deepEqual(
      readdirSync(s.dir).filter((f) => f.startsWith('same.bin')),
      ['same.bin'],
    );

    // A server that ignores Range sends it all again: the file is still right.
    const nr = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/flaky-norange.bin`,
      `--md5sum=${md5}`,
      ...fast,
    );
    assert.equal(nr.code, 0, nr.stderr);
    assert.match(nr.stderr, /cannot resume: downloading it all again/);
    assert.ok(readFileSync(join(s.dir, 'flaky-norange.bin')).equals(data));
  });

  test('retries with backoff on 503, mirrors after a 404, a bad checksum removes the file', async () => {
    const s = sandbox('cm-dl-');
    const busy = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/busy.bin`,
      '--retry_wait=0.05',
    );
    assert.equal(busy.code, 0, busy.stderr);
    assert.match(busy.stderr, /HTTP 503.*retry 1\/3 in 0\.1 s/);
    assert.match(busy.stderr, /retry 2\/3 in 0\.1 s/);
    assert.equal(hits('/busy.bin').length, 3);

    const m = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/gone.bin`,
      `--mirrors,=${base}/missing.bin,${base}/data.bin`,
      '--output_file=m.bin',
      '-j',
    );
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stderr, /gone\.bin failed \(HTTP 404.*trying the next mirror/);
    assert.ok(readFileSync(join(s.dir, 'm.bin')).equals(data));
    // CM_DOWNLOAD_URL1.. are mirrors too (the reference's keys).
    const m2 = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/gone.bin`,
      `--env.CM_DOWNLOAD_URL1=${base}/data.bin`,
      '--output_file=m2.bin',
    );
    assert.equal(m2.code, 0, m2.stderr);

    const bad = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/data.bin`,
      '--md5sum=0123456789abcdef0123456789abcdef',
    );
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      new RegExp(
        `md5 checksum mismatch: expected 0123456789abcdef0123456789abcdef, got ${md5} \\(the file was removed\\)`,
      ),
    );
    assert.ok(!existsSync(join(s.dir, 'data.bin')) && !existsSync(join(s.dir, 'data.bin.part')));
    const typo = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/data.bin`,
      '--md5sum=xyz',
    );
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /"xyz" is neither an md5 \(32 hex digits\) nor a sha256/);
    const none = await s.cm('run', 'script', 'download file');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no URL to download: give --url=URL/);
  });

  test('_wget and _curl download, resume and verify too; file:// is copied', async () => {
    const s = sandbox('cm-dl-');
    for (const tool of ['wget', 'curl']) {
      if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) continue;
      const r = await s.cm(
        'run',
        'script',
        `download file _${tool}`,
        `--url=${base}/flaky.bin?${tool}`,
        `--md5sum=${md5}`,
        `--download_path=${tool}`,
        '--retry_wait=0',
      );
      assert.equal(r.code, 0, r.stderr);
      assert.ok(readFileSync(join(s.dir, tool, 'flaky.bin')).equals(data), tool);
      assert.ok(hits(`/flaky.bin?${tool}`).length >= 2, `${tool} retried`);
      const bad = await s.cm(
        'run',
        'script',
        `download file _${tool}`,
        `--url=${base}/data.bin`,
        `--sha256=${'0'.repeat(64)}`,
        `--download_path=${tool}-bad`,
      );
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /sha256 checksum mismatch/);
      assert.deepEqual(readdirSync(join(s.dir, `${tool}-bad`)), []);
    }
    writeFileSync(join(s.dir, 'local.bin'), data);
    const f = await s.cm(
      'run',
      'script',
      'download file _wget',
      `--url=file://${join(s.dir, 'local.bin')}`,
      '--download_path=copy',
      '-j',
    );
    assert.equal(f.code, 0, f.stderr);
    assert.ok(readFileSync(join(s.dir, 'copy', 'local.bin')).equals(data));
    const self = await s.cm(
      'run',
      'script',
      'download file _wget',
      `--url=file://${join(s.dir, 'local.bin')}`,
    );
    assert.equal(self.code, 0, self.stderr);
    assert.ok(readFileSync(join(s.dir, 'local.bin')).equals(data), 'the source is not emptied');
    // The user's own file (the file:// URL names the target, or --local_path) is never removed
    // or moved, not even when its checksum is wrong.
    const wrong = await s.cm(
      'run',
      'script',
      'download file',
      `--url=file://${join(s.dir, 'local.bin')}`,
      '--md5sum=0123456789abcdef0123456789abcdef',
    );
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /md5 checksum mismatch .*\(your file is left as it is\)/);
    assert.ok(readFileSync(join(s.dir, 'local.bin')).equals(data));
    const renamed = await s.cm(
      'run',
      'script',
      'download file',
      `--local_path=${join(s.dir, 'local.bin')}`,
      '--env.CM_DOWNLOAD_RENAME_FILE=copy.bin',
      '-j',
    );
    assert.equal(renamed.code, 0, renamed.stderr);
    assert.ok(
      existsSync(join(s.dir, 'local.bin')) && readFileSync(join(s.dir, 'copy.bin')).equals(data),
    );
    const loc = await s.cm(
      'run',
      'script',
      'download file',
      `--local_path=${join(s.dir, 'local.bin')}`,
      `--md5sum=${md5}`,
      '-j',
    );
    assert.equal(loc.code, 0, loc.stderr);
    assert.equal(loc.json().new_env.CM_GET_DEPENDENT_CACHED_PATH, join(s.dir, 'local.bin'));
  });

  test('--force_cache: cached by URL and checksum; a TTY gets a progress bar, a pipe does not', async () => {
    const s = sandbox('cm-dl-');
    const first = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/data.bin?c`,
      '--force_cache',
      `--md5sum=${md5}`,
      '-j',
    );
    assert.equal(first.code, 0, first.stderr);
    const path = first.json().new_env.CM_DOWNLOAD_DOWNLOADED_PATH;
    assert.match(path, /cache/);
    const second = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/data.bin?c`,
      '--force_cache',
      `--md5sum=${md5}`,
      '-j',
    );
    assert.equal(second.json().new_env.CM_DOWNLOAD_DOWNLOADED_PATH, path);
    assert.equal(hits('/data.bin?c').length, 1, 'the second run was served from the cache');
    const other = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${base}/data.bin?d`,
      '--force_cache',
      '-j',
    );
    assert.notEqual(
      other.json().new_env.CM_DOWNLOAD_DOWNLOADED_PATH,
      path,
      'another URL, another entry',
    );
    assert.equal(hits('/data.bin?d').length, 1);
    assert.doesNotMatch(first.stderr, /\r|ETA|100%/);

    // A pseudo-terminal (util-linux script): the bar ends at 100 %.
    if (spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0) return;
    const cmd = `${process.execPath} ${cmBin} run script "download file" --url=${base}/data.bin?tty --download_path=tty`;
    // Not spawnSync: the HTTP server runs in this process.
    const t = await new Promise((ok) => {
      const p = spawn('script', ['-qec', cmd, '/dev/null'], {
        cwd: s.dir,
        env: { ...process.env, CM_REPOS: s.home, COLUMNS: '100' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
      p.on('close', (status) => ok({ status, stdout }));
    });
    assert.equal(t.status, 0, t.stdout);
    assert.match(t.stdout, /\r.*data\.bin\?tty \[#{20}\] 100%  300\.0 kB \/ 300\.0 kB/);
  });
});
