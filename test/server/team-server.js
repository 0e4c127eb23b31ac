// Helpers of the team server's tests: `cm serve` as a child process (its URL read from stderr),
// experiments recorded in a sandbox's local repo, and direct SQL on the test database.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cmBin, killAtExit } from '../e2e/helpers.js';

/**
 * Starts `cm serve ARGS` with the environment of sandbox `s`; resolves once it prints its URL, to
 * {url, stderr(), stop() (SIGTERM, waits; SIGKILL after 10 s), kill() (SIGKILL, waits)}. Rejects
 * if it exits first.
 */
export function startServe(s, args, env = {}) {
  const p = killAtExit(
    spawn(process.execPath, [cmBin, 'serve', ...args], {
      cwd: s.dir,
      env: { ...process.env, CM_REPOS: s.home, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stderr = '';
  const exited = new Promise((resolve) =>
    p.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    p.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      const m = /CM team server: (http:\/\/\S+)/.exec(stderr);
      if (m)
        resolve({
          url: m[1],
          stderr: () => stderr,
          exited,
          // A server that does not stop within 10 s is killed (the test then sees SIGKILL):
          // a hang fails the test instead of the suite.
          stop: () => {
            p.kill('SIGTERM');
            const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
            return exited.finally(() => clearTimeout(timer));
          },
          kill: () => (p.kill('SIGKILL'), exited),
        });
    });
    exited.then(({ code }) =>
      reject(new Error(`cm serve exited ${code} before serving:\n${stderr}`)),
    );
  });
}

/** The outcome of `cm serve ARGS` that is expected to end by itself (a refusal, a token command). */
export function runServe(s, args, env = {}) {
  return s.cmWith(env, 'serve', ...args);
}

/** A uid made from a number, as CM uids look (16 hex characters). */
export function uidOf(n) {
  return n.toString(16).padStart(16, '0');
}

/**
 * Records experiment `alias` (uid, tags) into sandbox `s`'s local repo with `runs`:
 * {runDirName: rows | {rows, input}}.
 */
export function recordExperiment(s, { alias, uid, tags = ['team'], meta = {} }, runs) {
  const dir = s.local('experiment', alias);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, '_cm.json'),
    JSON.stringify({
      alias,
      uid,
      automation_alias: 'experiment',
      automation_uid: 'a0a2d123ef064bcb',
      tags,
      ...meta,
    }),
  );
  for (const [run, value] of Object.entries(runs)) {
    const { rows, input } = Array.isArray(value) ? { rows: value } : value;
    mkdirSync(join(dir, run), { recursive: true });
    writeFileSync(join(dir, run, 'cm-result.json'), JSON.stringify(rows, null, 2));
    if (input !== undefined) writeFileSync(join(dir, run, 'cm-input.json'), JSON.stringify(input));
  }
  return dir;
}

/** `n` result rows of a run, with uids unique to `prefix`. */
export function rowsOf(prefix, n, first = 0) {
  return Array.from({ length: n }, (_, k) => ({
    uid: `${prefix}-${first + k}`,
    Result: first + k,
    Accuracy: 50 + ((first + k) % 50),
  }));
}

/** One SQL query on `url` (a fresh connection each time: tests are not about speed). */
export async function sql(url, text, params = []) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Results stored per experiment uid. */
export async function storedCounts(url) {
  const rows = await sql(
    url,
    'SELECT experiment_uid, count(*)::int AS n FROM results GROUP BY experiment_uid',
  );
  return Object.fromEntries(rows.map((r) => [r.experiment_uid, r.n]));
}
