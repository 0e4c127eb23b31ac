// The explore page with `cm gui --watch` (gui.md §6 scenario 19): a row appended to a result
// file shows up as a new point without a reload. Its own CM home, since it changes the fixture.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fixtureHome, launchBrowser, noBrowser, startGui } from './harness.js';
import { SWEEP_RUNS, sweepRuns } from './fixture.js';
import { chartData, finish, openExplore, tableIds } from './explore-page.js';

let s;
let gui;
let browser;
before(async () => {
  if (noBrowser) return;
  s = await fixtureHome();
  gui = await startGui(s, ['--watch']);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  s?.cleanup();
});

describe('the explore page with --watch', { skip: noBrowser }, () => {
  test('a row appended to a result file appears as a new point within 3 s', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=sweep&x=time&y=acc');
    const { page } = t;
    const plotted = sweepRuns.flat().filter((r) => typeof r.acc === 'number').length;
    assert.equal((await chartData(page)).points, String(plotted));
    // The page subscribes once it knows the server watches; give the event stream a moment.
    await page.waitForTimeout(500);
    const file = s.local('experiment', 'sweep-demo', SWEEP_RUNS[1], 'cm-result.json');
    const rows = JSON.parse(readFileSync(file, 'utf8'));
    rows.push({ uid: 'e000000000009999', A: 4, B: 1, time: 41.5, acc: 0.69, step: 9 });
    const written = Date.now();
    writeFileSync(file, JSON.stringify(rows, null, 2));
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=chart]').dataset.points === String(n),
      plotted + 1,
      { timeout: 3000 },
    );
    assert.ok(Date.now() - written <= 3000);
    assert.ok((await tableIds(page)).some((id) => id.endsWith('/e000000000009999')));
    assert.equal(new URL(page.url()).pathname, '/explore', 'no reload, no navigation');
    await finish(t);
  });

  test('SIGTERM stops a watching server at once, with a page still listening', async () => {
    const { page } = await openExplore(browser, gui, '/explore?tags=sweep&x=time&y=acc');
    await page.waitForTimeout(500);
    const started = Date.now();
    const stopped = gui.stop();
    const timer = setTimeout(() => gui.proc.kill('SIGKILL'), 10_000);
    await stopped;
    clearTimeout(timer);
    assert.equal(gui.proc.signalCode, null, 'it had to be killed');
    assert.ok(Date.now() - started < 5000, `stopped after ${Date.now() - started} ms`);
  });
});
