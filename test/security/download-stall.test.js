// Adversarial: servers on 127.0.0.1 that accept a download and then stall (send the headers and a
// few bytes, or nothing at all). Every download tool gives up after --timeout, retries as told,
// fails with a CM error that says so (the URL's password masked), and keeps a resumable .part.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { cmBin, sandbox } from '../e2e/helpers.js';

const data = Buffer.alloc(20_000);
/**
 * What /stall sends before it stalls: a few bytes, as curl notices a stall only once its speed,
 * averaged over up to 5 s, drops below 1 byte/s (3 bytes: after 3 s; 1000 bytes: after 5 s).
 */
const SENT = 3;
for (let k = 0; k < data.length; k++) data[k] = (k * 31) % 253;

/** Requests per path: [{range}] */
const seen = new Map();
const hits = (path) => seen.get(path) ?? [];
const sockets = new Set();
let server;
let base;
let secretBase;

before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    seen.set(path, [...hits(path), { range: req.headers.range }]);
    const n = hits(path).length;
    const [, kind, , okAfter] = /^\/([a-z-]+)(-ok(\d+))?\//.exec(path) ?? [];
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    // /KIND-okN/...: requests after the Nth get the whole file (honouring Range).
    if (okAfter !== undefined && n > Number(okAfter)) {
      const from = range ? Number(range[1]) : 0;
      res.writeHead(range ? 206 : 200, {
        'content-length': data.length - from,
        ...(range ? { 'content-range': `bytes ${from}-${data.length - 1}/${data.length}` } : {}),
      });
      res.end(data.subarray(from));
    } else if (kind === 'silent') {
      // Accepts the connection and the request, answers nothing.
    } else if (kind === 'headers') {
      res.writeHead(200, { 'content-length': data.length });
      res.flushHeaders();
    } else if (kind === 'stall') {
      // The headers and the first bytes, then nothing (the same bytes for a Range request: the
      // server does not resume while it stalls).
      res.writeHead(200, { 'content-length': data.length });
      res.write(data.subarray(0, SENT));
    } else if (kind === 'ok') {
      res.writeHead(200, { 'content-length': data.length });
      res.end(data);
    } else {
      res.writeHead(404);
      res.end('no');
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}`;
  secretBase = `http://user:secret@127.0.0.1:${server.address().port}`;
});
after(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

/** A stalled run must end well before this: past it, the run counts as hung and is killed. */
const HUNG_MS = 30_000;

/**
 * Runs the real CLI in `s.dir` (its own process group); a run still going after HUNG_MS is
 * killed with everything it started (wget, curl) and resolves with `hung: true`.
 */
function cmBounded(s, ...args) {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const env = { ...process.env, CM_REPOS: s.home };
    delete env.CM_DEBUG;
    delete env.CM_INDEX;
    const p = spawn(process.execPath, [cmBin, ...args], {
      cwd: s.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      process.kill(-p.pid, 'SIGKILL');
    }, HUNG_MS);
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

const has = (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const policy = ['--timeout=1', '--retries=1', '--retry_wait=0'];
const files = (dir) => readdirSync(dir).sort();

/** A run that stalled: bounded, failed, and said so with the masked URL and the flags to change. */
function assertStalled(r, url) {
  assert.ok(!r.hung, `the download hung (killed after ${HUNG_MS / 1000} s):\n${r.stderr}`);
  assert.ok(r.seconds < 20, `took ${r.seconds} s: the timeout was not applied`);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /the server stalled: no data for 1 s/);
  assert.ok(r.stderr.includes(url.replace('user:secret@', '***@')), r.stderr);
  assert.match(r.stderr, /--timeout=SECONDS \(now 1\) or more attempts with --retries=N \(now 1\)/);
  assert.doesNotMatch(r.stdout + r.stderr, /secret/, 'the password is never printed');
}

describe('a stalled download server', { concurrency: 3 }, () => {
  for (const tool of ['cmutil', 'wget', 'curl']) {
    test(
      `_${tool}: a server that stalls mid-file times out, retries, keeps the part, and the next run resumes it`,
      { timeout: 2 * HUNG_MS, skip: tool !== 'cmutil' && !has(tool) && `${tool} is not installed` },
      async () => {
        const s = sandbox('cm-stall-');
        // Two attempts (--retries=1) stall; the next run gets the rest.
        const url = `${secretBase}/stall-ok2/${tool}/data.bin`;
        const r = await cmBounded(
          s,
          'run',
          'script',
          `download file _${tool}`,
          `--url=${url}`,
          ...policy,
          '--download_path=d',
        );
        assertStalled(r, url);
        assert.equal(hits(`/stall-ok2/${tool}/data.bin`).length, 2, 'one retry');
        const part = join(s.dir, 'd', 'data.bin.part');
        assert.deepEqual(files(join(s.dir, 'd')), ['data.bin.part', 'data.bin.part.json']);
        assert.ok(readFileSync(part).equals(data.subarray(0, SENT)));
        assert.ok(
          r.stderr.includes(
            `${SENT} bytes are kept in ${part}; running the same command again resumes (from the same URL, which ${part}.json keeps); to start over, delete ${part} and ${part}.json`,
          ),
          r.stderr,
        );

        const again = await cmBounded(
          s,
          'run',
          'script',
          `download file _${tool}`,
          `--url=${url}`,
          ...policy,
          '--download_path=d',
        );
        assert.equal(again.code, 0, again.stderr);
        assert.equal(hits(`/stall-ok2/${tool}/data.bin`)[2]?.range, `bytes=${SENT}-`, 'resumed');
        assert.deepEqual(files(join(s.dir, 'd')), ['data.bin']);
        assert.ok(readFileSync(join(s.dir, 'd', 'data.bin')).equals(data));
        s.cleanup();
      },
    );

    test(
      `_${tool}: a server that answers nothing, or only headers, times out and leaves nothing`,
      { timeout: 2 * HUNG_MS, skip: tool !== 'cmutil' && !has(tool) && `${tool} is not installed` },
      async () => {
        const s = sandbox('cm-stall-');
        for (const kind of ['silent', 'headers']) {
          const url = `${secretBase}/${kind}/${tool}/data.bin`;
          const r = await cmBounded(
            s,
            'run',
            'script',
            `download file _${tool}`,
            `--url=${url}`,
            ...policy,
            `--download_path=${kind}`,
          );
          assertStalled(r, url);
          assert.equal(hits(`/${kind}/${tool}/data.bin`).length, 2, 'one retry');
          assert.deepEqual(files(join(s.dir, kind)), [], 'no bytes came: nothing to resume');
        }
        s.cleanup();
      },
    );
  }

  test('cm download_file utils: a stall keeps the resumable part, as the README says', async () => {
    const s = sandbox('cm-stall-');
    const url = `${secretBase}/stall-ok2/utils/data.bin`;
    const args = ['download_file', 'utils', `--url=${url}`, ...policy, '--path=d'];
    const r = await cmBounded(s, ...args);
    assertStalled(r, url);
    const part = join(s.dir, 'd', 'data.bin.part');
    assert.deepEqual(files(join(s.dir, 'd')), ['data.bin.part', 'data.bin.part.json']);
    assert.equal(JSON.parse(readFileSync(`${part}.json`, 'utf8')).url, url);
    assert.ok(
      r.stderr.includes(
        `${SENT} bytes are kept in ${part}; running the same command again resumes (from the same URL, which ${part}.json keeps); to start over, delete ${part} and ${part}.json`,
      ),
      r.stderr,
    );
    const again = await cmBounded(s, ...args, '-j');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).resumed_from, SENT);
    assert.deepEqual(files(join(s.dir, 'd')), ['data.bin']);

    // Headers and no bytes: nothing to resume, nothing is left.
    const empty = await cmBounded(
      s,
      'download_file',
      'utils',
      `--url=${secretBase}/headers/utils/data.bin`,
      ...policy,
      '--path=e',
    );
    assertStalled(empty, `${secretBase}/headers/utils/data.bin`);
    assert.deepEqual(files(join(s.dir, 'e')), []);
    s.cleanup();
  });

  test('--timeout, --retries and --retry_wait are checked; the tools get the default timeout', async () => {
    const s = sandbox('cm-stall-');
    const bad = [
      ['--timeout=abc', /--timeout must be seconds > 0 .*\(found "abc"\)/],
      ['--timeout=0', /--timeout must be seconds > 0 .*\(found "0"\)/],
      ['--retries=x', /--retries must be a whole number >= 0 \(found "x"\)/],
      ['--retry_wait=-1', /--retry_wait must be seconds >= 0 \(found "-1"\)/],
    ];
    const runs = [
      ...bad.flatMap(([flag, re]) => [
        ['run', 'script', 'download file _wget', `--url=${base}/ok/bad.bin`, flag, re],
        ['download_file', 'utils', `--url=${base}/ok/bad.bin`, flag, re],
      ]),
      ['run', 'script', 'download file', `--url=${base}/ok/bad.bin`, ...bad[0]],
    ];
    // One at a time: two `cm run`s in one folder would share its tmp-run.sh.
    for (const a of runs) {
      const r = await cmBounded(s, ...a.slice(0, -1));
      assert.equal(r.code, 1, `${a.slice(0, -1).join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, a.at(-1));
      assert.match(r.stderr, /hint: for example --\w+=\d+ \(the default\)/);
    }
    assert.deepEqual(hits('/ok/bad.bin'), [], 'nothing was downloaded');
    if (!has('wget')) return;
    const ok = await cmBounded(s, 'run', 'script', 'download file _wget', `--url=${base}/ok/a.bin`);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Running: wget -c --timeout=60 --tries=4 --waitretry=4 /);
  });
});
