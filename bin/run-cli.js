// Loads the bundled CLI (dist/cm.cjs) with a V8 code cache (dist/cm.cjs.cache, made by
// `npm run build`): compiling the bundle is a large part of a command's start-up. A cache that V8
// rejects (another Node version) is rebuilt in place when the folder is writable, else ignored.
// Queries (cm find, ls, load ...) have a cache of their own, made by queries alone: one made by
// script runs too is 60% larger, and V8 deserialises all of it before a query can start.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, '..', 'dist', 'cm.cjs');
const QUERIES = new Set(['find', 'search', 'ls', 'list', 'load']);

/** The code cache for a command typed as `front` with `argv`. */
function cacheFileOf(front, argv) {
  return front === 'cm' && QUERIES.has(argv[0]) ? `${file}.query-cache` : `${file}.cache`;
}

// Node 20 cannot run import() from a script compiled with a code cache: the bundle imports user
// automations (module.js) and optional libraries through this function instead.
globalThis.__cmImportModule = (specifier) => import(specifier);

/** Compile and run the bundle, with the code cache in `cacheFile` if there is one. */
function load(cacheFile) {
  // ASCII, and already the function CommonJS would wrap it in (see scripts/bundle-cli.js).
  const source = fs.readFileSync(file, 'latin1');
  let cachedData;
  try {
    if (cacheFile !== undefined) cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(source, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} };
  script
    .runInThisContext()
    .call(
      module.exports,
      module.exports,
      Module.createRequire(file),
      module,
      file,
      path.dirname(file),
    );
  const shouldWrite = cachedData === undefined || script.cachedDataRejected === true;
  load.last = { script };
  return { cli: module.exports, saveCache: () => shouldWrite && writeCache(script, cacheFile) };
}

function writeCache(script, cacheFile) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/** Run the CLI as `front` (cm, cmr, cme, mlc, mlcr, mlce) and set the exit code. */
function run(front) {
  const argv = process.argv.slice(2);
  const { cli, saveCache } = load(cacheFileOf(front, argv));
  cli.main(argv, front).then(
    (code) => {
      saveCache();
      process.exitCode = code;
    },
    (e) => {
      // A bug (expected failures come back as a CM return code): one line, the stack on demand.
      const debug = process.env.CM_DEBUG === 'yes';
      process.stderr.write(
        `CM internal error: ${e instanceof Error ? e.message : String(e)}\n` +
          (debug && e instanceof Error
            ? `${e.stack}\n`
            : '  hint: this is a bug: run with CM_DEBUG=yes for the stack, and report it\n'),
      );
      process.exitCode = 1;
    },
  );
}

/**
 * Build time only (scripts/bundle-cli.js): run several commands in one process, then store the
 * code cache, so that the functions of every kind of command (queries, script runs) are in it;
 * `queriesOnly`: the cache of the commands in QUERIES.
 */
async function warm(commands, queriesOnly = false) {
  const cacheFile = queriesOnly ? cacheFileOf('cm', ['find']) : cacheFileOf('cm', ['run']);
  fs.rmSync(cacheFile, { force: true });
  const { cli } = load(undefined);
  for (const argv of commands) await cli.main(argv, 'cm');
  const { script } = load.last;
  writeCache(script, cacheFile);
}

module.exports = { run, warm };
