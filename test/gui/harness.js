// Browser tests' harness: a CM home holding the playground fixture, `cm gui` started for real on
// a free port (its URL read from stderr), and headless Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sandbox } from '../e2e/helpers.js';
import { root, cmBin, killAtExit } from '../e2e/helpers.js';
import { writeFixture } from './fixture.js';

export const CHROMIUM = process.env.CM_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Why browser tests cannot run here (the test is then skipped saying so), or undefined. */
export const noBrowser = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CM_TEST_CHROMIUM)`;

/** A sandbox whose local repo holds the fixture. */
export async function fixtureHome() {
  const s = sandbox('cm-gui-');
  const r = await s.cm('find', 'experiment');
  if (r.code !== 0) throw new Error(`cm find experiment: ${r.stderr}`);
  writeFixture(s.local());
  return s;
}

/**
 * Starts `cm gui --port=0 --no_browser ARGS` in `s`'s home; resolves once it prints its URL.
 * Returns {url, proc, stderr(), stop()}; stop() sends SIGTERM and resolves with {code, signal}.
 */
export function startGui(s, args = [], env = {}) {
  const proc = killAtExit(
    spawn(process.execPath, [cmBin, 'gui', '--port=0', '--no_browser', ...args], {
      cwd: s.dir,
      env: { ...process.env, CM_REPOS: s.home, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cm gui did not start:\n${err}`)), 20_000);
    proc.stderr.setEncoding('utf8').on('data', (d) => {
      err += d;
      const m = /(http:\/\/[^\s]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1].replace(/\/$/, ''),
          proc,
          stderr: () => err,
          stop: () =>
            new Promise((done) => {
              if (proc.exitCode !== null || proc.signalCode !== null)
                return done({ code: proc.exitCode, signal: proc.signalCode });
              proc.once('exit', (code, signal) => done({ code, signal }));
              proc.kill('SIGTERM');
            }),
        });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cm gui exited with ${code}:\n${err}`));
    });
  });
}

/** Headless Chromium; the caller closes it. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/**
 * A fresh page that records HTTP answers ≥ 500 and dialogs (an alert means injected script ran).
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    acceptDownloads: true,
    permissions: ['clipboard-read', 'clipboard-write'],
    ...options,
  });
  const page = await context.newPage();
  const serverErrors = [];
  const dialogs = [];
  page.on('response', (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.url()}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, context, serverErrors, dialogs };
}

export { root };
