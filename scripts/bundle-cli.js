// Bundles the CLI (dist/cli/main.js and everything it imports) into one CommonJS file,
// dist/cm.cjs. Start-up is most of what a `cm find` costs: one CJS file skips Node's ESM loader
// (per-module async reads, URL resolution, facades of builtins), about 40 ms per command here.
// tsc remains the compiler and type checker; the library API (dist/index.js) stays plain ESM.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/cm.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Loaded only when a YAML file or an archive is really read.
  external: ['js-yaml', 'fflate'],
  define: { 'import.meta.url': '__cmImportMetaUrl' },
  banner: { js: 'const __cmImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});

// Warm the V8 code cache (dist/cm.cjs.cache) with a typical command against a throw-away home.
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

rmSync('dist/cm.cjs.cache', { force: true });
const home = mkdtempSync(join(tmpdir(), 'cm-warm-'));
// A script run (detect-os, a cached lookup miss, deps, hooks, the native run) compiles most of
// what commands need; V8 then stores those functions compiled.
spawnSync(
  process.execPath,
  [join(process.cwd(), 'bin/cm.js'), 'run', 'script', 'detect os', '-s', '--quiet'],
  {
    env: { ...process.env, CM_REPOS: join(home, 'CM') },
    cwd: home,
    stdio: 'ignore',
  },
);
rmSync(home, { recursive: true, force: true });
