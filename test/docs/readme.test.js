// The doc test: replays every `console` block of README.md, in order, in one shell, as a reader
// following the tour would type them, and compares each command's output with the README (see
// match.js for what may differ). The tour's folder /tmp/tour is a fresh temporary folder here
// (its path is written back as /tmp/tour in the output), with its own empty HOME and npm prefix,
// so `npm install -g .` in the README installs into that prefix and nothing outside is touched.
// Code blocks that show a file of examples/ must be that file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fencedBlocks, sessionOf, shownFile } from './console-blocks.js';
import { linesMatch, normalize, trimBlank } from './match.js';
import { Shell } from './shell.js';

const root = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = fencedBlocks(readme);
const TOUR = '/tmp/tour';
/** Where the README's clone lives: paths under the real checkout are shown under it. */
const CLONE = '/work/main';

/** CM_DOC_TEST_DUMP=FILE writes what every command printed (to update the README from). */
const dump = process.env.CM_DOC_TEST_DUMP;

let shell;
let tour;
let home;

/** Output as the README shows it: the temporary tour folder as /tmp/tour, the clone as /work/main. */
function asInReadme(text) {
  const asAlias = (p) => p.slice(1).replaceAll('/', '@');
  return text
    .replaceAll(tour, TOUR)
    .replaceAll(asAlias(tour), asAlias(TOUR))
    .replaceAll(root, CLONE);
}

/** A command may fail only where the README shows the failure. */
function showsFailure(expected) {
  return expected.some((l) => /error|nothing found|failed|refus/i.test(l));
}

/** The README's download examples serve files on this port: say so plainly when it is taken. */
const TOUR_PORT = 8765;

function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e) =>
      reject(new Error(`port ${port} (the README's local web server) is busy: ${e.message}`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(resolve));
  });
}

describe('README console blocks', () => {
  before(async () => {
    await assertPortFree(TOUR_PORT);
    tour = mkdtempSync('/tmp/cmdoc-tour-');
    rmSync(tour, { recursive: true }); // the tour's first command makes it
    home = mkdtempSync('/tmp/cmdoc-home-');
    const prefix = join(home, 'npm-global');
    const env = {
      PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
      HOME: home,
      LANG: 'C.UTF-8',
      // `npm install -g .` and `npm link` from the README: into a private prefix, offline, and
      // without the prepare build (npm test has just built; a rebuild would race other tests).
      npm_config_prefix: prefix,
      npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
      npm_config_ignore_scripts: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_offline: 'true',
    };
    if (process.env.PYENV_ROOT) env.PYENV_ROOT = process.env.PYENV_ROOT;
    shell = new Shell({ cwd: root, env });
  });
  after(() => {
    shell?.close();
    for (const d of [tour, home]) if (d) rmSync(d, { recursive: true, force: true });
  });

  for (const block of blocks) {
    const file = shownFile(block);
    if (file) {
      test(`README.md:${block.line} shows ${file.file}`, () => {
        const actual = readFileSync(join(root, file.file), 'utf8').replace(/\n$/, '');
        assert.equal(file.body, actual, `README.md:${block.line} differs from ${file.file}`);
      });
    }
    if (block.lang !== 'console') continue;
    test(`README.md:${block.line} console block`, async () => {
      for (const { cmd, line, expected } of sessionOf(block)) {
        const { output, status, shellErrors } = await shell.run(cmd.replaceAll(TOUR, tour));
        const actual = trimBlank(asInReadme(output).split('\n'));
        const where = `README.md:${line}: $ ${cmd}`;
        if (dump) appendFileSync(dump, `README.md:${line}\n$ ${cmd}\n${actual.join('\n')}\n\n`);
        assert.equal(shellErrors, '', `${where}\nbash reported:\n${shellErrors}`);
        if (!linesMatch(trimBlank(expected), actual)) {
          assert.fail(
            `${where}\n--- the README shows (normalized):\n${expected.map(normalize).join('\n')}\n` +
              `--- the command printed (normalized):\n${actual.map(normalize).join('\n')}`,
          );
        }
        assert.ok(
          status === 0 || showsFailure(expected),
          `${where}\nexit status ${status}, but the README shows no failure`,
        );
      }
    });
  }
});
