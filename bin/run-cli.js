// Loads the bundled CLI (dist/cm.cjs) with a V8 code cache (dist/cm.cjs.cache, made by
// `npm run build`): compiling the bundle is a large part of a command's start-up. A cache that V8
// rejects (another Node version) is rebuilt in place when the folder is writable, else ignored.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, '..', 'dist', 'cm.cjs');
const cacheFile = `${file}.cache`;

// Node 20 cannot run import() from a script compiled with a code cache: the bundle imports user
// automations (module.js) and optional libraries through this function instead.
globalThis.__cmImportModule = (specifier) => import(specifier);

function load() {
  // ASCII, and already the function CommonJS would wrap it in (see scripts/bundle-cli.js).
  const source = fs.readFileSync(file, 'latin1');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
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
  return { cli: module.exports, saveCache: () => shouldWrite && writeCache(script) };
}

function writeCache(script) {
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
  const { cli, saveCache } = load();
  cli.main(process.argv.slice(2), front).then(
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
 * code cache, so that the functions of every kind of command (queries, script runs) are in it.
 */
async function warm(commands) {
  fs.rmSync(cacheFile, { force: true });
  const { cli } = load();
  for (const argv of commands) await cli.main(argv, 'cm');
  const { script } = load.last;
  writeCache(script);
}

module.exports = { run, warm };
