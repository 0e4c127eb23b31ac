// Shared helpers for end-to-end tests: a private CM home per test, the real CLI as a child
// process (stdin closed, so never a TTY), and file trees written from objects.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeTree } from '../../dist/db/file-tree.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export { writeTree };

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cmBin = join(root, 'bin', 'cm.js');

// bin/cm.js runs the bundle dist/cm.cjs, which `npx tsc -p .` alone does not rebuild: refuse to
// test stale code rather than pass or fail on it (`npm test` builds both).
const dist = join(root, 'dist');
function newestCompiled(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // dist/gui is the front end's bundle, built after the CLI's.
    if (e.isDirectory() && !(dir === dist && e.name === 'gui'))
      newest = Math.max(newest, newestCompiled(p));
    else if (e.name.endsWith('.js')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const bundle = join(root, 'dist', 'cm.cjs');
if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestCompiled(join(root, 'dist'))) {
  throw new Error('dist/cm.cjs is missing or older than dist/: run "npm run build" first');
}

function envFor(home, extra = {}) {
  const env = { ...process.env, CM_REPOS: home, ...extra };
  delete env.CM_DEBUG;
  if (!('CM_INDEX' in extra)) delete env.CM_INDEX;
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

/** Runs `node BIN ARGS` with stdin closed; resolves to {code, stdout, stderr, json()}. */
function runCli(bin, args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json() {
          try {
            return JSON.parse(stdout);
          } catch (e) {
            throw new Error(
              `cm ${args.join(' ')}: stdout is not JSON (${e.message})\nstdout: ${stdout}\nstderr: ${stderr}`,
            );
          }
        },
      }),
    );
  });
}

// Temp folders go when the test process ends, also those of failed tests (CM_E2E_KEEP=1 keeps them).
const made = [];
process.on('exit', () => {
  if (process.env.CM_E2E_KEEP) return;
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

// Long-running children (servers) a test started go when the test process ends, also those of a
// failed test that never reached its stop(): \`npm test\` runs with --test-force-exit, so a file
// whose test left one running still ends, and this keeps that server from outliving it.
const running = new Set();
process.on('exit', () => {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Registers \`child\` (a ChildProcess) to be killed when the test process ends; returns it. */
export function killAtExit(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * A temp folder with a private CM home inside (`dir/CM`, created by the first command).
 * `await s.cm(...args)` runs the real CLI against it with the temp folder as cwd.
 */
export function sandbox(prefix = 'cm-e2e-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  const home = join(dir, 'CM');
  const run = (bin, args, opts = {}) =>
    runCli(bin, args, { cwd: opts.cwd ?? dir, env: envFor(home, opts.env) });
  return {
    dir,
    home,
    cm: (...args) => run(cmBin, args),
    cmIn: (cwd, ...args) => run(cmBin, args, { cwd }),
    cmWith: (env, ...args) => run(cmBin, args, { env }),
    bin: (name, ...args) => run(join(root, 'bin', `${name}.js`), args),
    write: (tree, base = dir) => writeTree(base, tree),
    local: (...parts) => join(home, 'repos', 'local', ...parts),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Aliases in a `-j` result list. */
export function aliases(r) {
  return r.json().list.map((x) => x.alias);
}

/** Sorted names in a folder, hidden ones (temp folders of unfinished writes) included. */
export function listDir(path) {
  return readdirSync(path).sort();
}

/** Tests of one file run this many at a time (each in its own CM home): CLI start-up dominates. */
export const parallel = { concurrency: 3 };

/**
 * The environment of git for a test's own repos: commits need an author, and file:// submodules
 * are off by default since git 2.38.1. Also given to cm runs that commit or clone submodules.
 */
export const gitEnv = {
  GIT_AUTHOR_NAME: 'CM Test',
  GIT_AUTHOR_EMAIL: 'cm@example.org',
  GIT_COMMITTER_NAME: 'CM Test',
  GIT_COMMITTER_EMAIL: 'cm@example.org',
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'protocol.file.allow',
  GIT_CONFIG_VALUE_0: 'always',
};

/** Runs git in `cwd` (gitEnv, no system config); fails the test when git fails; its stdout. */
export function git(cwd, ...args) {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...gitEnv, GIT_CONFIG_NOSYSTEM: '1' },
  });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}
