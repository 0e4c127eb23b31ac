// Shared helpers for end-to-end tests: a private CM home per test, the real CLI as a child
// process (stdin closed, so never a TTY), and file trees written from objects.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeTree } from '../../dist/db/file-tree.js';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { writeTree };

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cmBin = join(root, 'bin', 'cm.js');

function envFor(home, extra = {}) {
  const env = { ...process.env, CM_REPOS: home, ...extra };
  delete env.CM_DEBUG;
  delete env.CM_INDEX;
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

function result(r) {
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    json() {
      return JSON.parse(r.stdout);
    },
  };
}

/** A temp folder with a CM home inside; `cm(...args)` runs the real CLI against it. */
export function sandbox(prefix = 'cm-e2e-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const home = join(dir, 'CM');
  const run = (bin, args, opts = {}) =>
    result(
      spawnSync(process.execPath, [bin, ...args], {
        cwd: opts.cwd ?? dir,
        env: envFor(home, opts.env),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  return {
    dir,
    home,
    cm: (...args) => run(cmBin, args),
    cmIn: (cwd, ...args) => run(cmBin, args, { cwd }),
    cmWith: (env, ...args) => run(cmBin, args, { env }),
    bin: (name, ...args) => run(join(root, 'bin', `${name}.js`), args),
    /** Start the CLI without waiting (for concurrency tests). */
    spawnCm: (...args) =>
      new Promise((resolve) => {
        const p = spawn(process.execPath, [cmBin, ...args], {
          cwd: dir,
          env: envFor(home),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        p.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
    write: (tree, base = dir) => writeTree(base, tree),
    local: (...parts) => join(home, 'repos', 'local', ...parts),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Aliases in a `-j` result list. */
export function aliases(r) {
  return r.json().list.map((x) => x.alias);
}
