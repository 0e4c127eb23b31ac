// `cm run script "gui _graph"` (CM's way to open the results page) starts `cm gui` with the
// _graph inputs as the first page's URL; and `cm gui --help` documents the flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cmBin } from '../e2e/helpers.js';
import { fixtureHome } from './harness.js';

/** Spawns `cm ARGS` in its own process group; resolves with the first URL it prints. */
function startDetached(s, args) {
  const proc = spawn(process.execPath, [cmBin, ...args], {
    cwd: s.dir,
    env: { ...process.env, CM_REPOS: s.home },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 30_000);
    const onData = (d) => {
      out += d;
      const m = /CM playground: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop: () => process.kill(-proc.pid, 'SIGTERM') });
      }
    };
    proc.stdout.setEncoding('utf8').on('data', onData);
    proc.stderr.setEncoding('utf8').on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  });
}

test('cm run script "gui _graph" serves the explore page of the given tags and axes', async () => {
  const s = await fixtureHome();
  const gui = await startDetached(s, [
    'run',
    'script',
    'gui _graph',
    '--exp_tags=mlperf',
    '--exp_key_x=Result_Power',
    '--port=0',
    '--no_browser',
  ]);
  try {
    const url = new URL(gui.url);
    assert.equal(url.pathname, '/explore');
    assert.equal(url.searchParams.get('tags'), 'mlperf');
    assert.equal(url.searchParams.get('x'), 'Result_Power');
    const health = await (await fetch(new URL('/api/health', url))).json();
    assert.equal(health.backend, 'local');
    const list = await (await fetch(new URL('/api/experiments?tags=mlperf', url))).json();
    assert.deepEqual(
      list.experiments.map((e) => e.alias),
      ['mlperf-demo'],
    );
  } finally {
    gui.stop();
  }
});

test('cm gui --help lists its flags; a bad port is a clear error', async () => {
  const s = await fixtureHome();
  const help = await s.cm('gui', '--help');
  assert.equal(help.code, 0);
  for (const flag of ['--port', '--host', '--watch', '--allow-exec', '--token', '--exp_tags'])
    assert.ok(help.stdout.includes(flag), flag);
  const bad = await s.cm('gui', '--port=abc');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--port=abc: not a port number/);
});
