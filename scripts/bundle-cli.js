// Bundles the CLI (dist/cli/main.js and everything it imports) into one CommonJS file,
// dist/cm.cjs. Start-up is most of what a `cm find` costs: one CJS file skips Node's ESM loader
// (per-module async reads, URL resolution, facades of builtins), about 40 ms per command here.
// tsc remains the compiler and type checker; the library API (dist/index.js) stays plain ESM.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const { outputFiles } = await build({
  entryPoints: ['dist/cli/main.js'],
  write: false,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Loaded only when a YAML file is really read or a repo packed into a zip, by the servers
  // (cm serve, cm gui, and cm mcp with the MCP SDK and zod), or by cm suggest (MiniSearch; its
  // stemmer is small and bundled).
  external: [
    'js-yaml',
    'fflate',
    'pg',
    'hono',
    '@hono/node-server',
    'bcryptjs',
    'markdown-it',
    'minisearch',
    '@modelcontextprotocol/sdk',
    'zod',
  ],
  define: { 'import.meta.url': '__cmImportMetaUrl' },
  banner: { js: 'const __cmImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});
// Written as the function that CommonJS would wrap it in, so that bin/run-cli.js compiles the file
// as it is read instead of a copy joined to a wrapper; and in ASCII only (esbuild escapes strings,
// not comments), so that V8 holds it in one byte per character: half the memory to load it.
const code = outputFiles[0].text.replace(
  /[^\x00-\x7f]/g,
  (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
);
writeFileSync(
  'dist/cm.cjs',
  `(function (exports, require, module, __filename, __dirname) {\n${code}\n})\n`,
);

// Warm the V8 code caches: typical commands run in one process against a throw-away home, then V8
// stores every function they compiled. dist/cm.cjs.cache from queries, a script run with its
// native part, a plan and the cache; dist/cm.cjs.query-cache from queries alone (see run-cli.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const queries = [
  ['find', 'automation', '--tags=automation'],
  ['ls', 'automation'],
  ['load', 'automation', 'repo'],
  ['find', 'script', '--tags=detect,os'],
  ['find', 'automation', 'nothere'],
];
const all = [
  ...queries.slice(0, 4),
  ['run', 'script', 'detect os', '-s', '--quiet'],
  ['run', 'script', 'detect os', '--dry-run', '-s', '--quiet'],
  ['show', 'cache'],
  ...queries.slice(4),
];
for (const [commands, queriesOnly] of [
  [all, false],
  [queries, true],
]) {
  const home = mkdtempSync(join(tmpdir(), 'cm-warm-'));
  const runCli = JSON.stringify(join(process.cwd(), 'bin', 'run-cli.js'));
  const warm = spawnSync(
    process.execPath,
    ['-e', `require(${runCli}).warm(${JSON.stringify(commands)}, ${queriesOnly})`],
    { env: { ...process.env, CM_REPOS: join(home, 'CM') }, cwd: home, stdio: 'ignore' },
  );
  rmSync(home, { recursive: true, force: true });
  if (warm.status !== 0) console.warn('warning: a code cache could not be warmed');
}
