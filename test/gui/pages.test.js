// The playground's pages other than explore, in real Chromium against the real `cm gui` on the
// fixture (gui.md §6 scenarios 1, 12, 13, 15, 17, 20, 21, 22, 24, plus XSS, scripts, cache and
// views). Every browser test also asserts that no answer was a 5xx and that no dialog fired.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fixtureHome, launchBrowser, newPage, noBrowser, startGui } from './harness.js';
import { cmBin } from '../e2e/helpers.js';
import {
  MLPERF_RUN,
  MLPERF_UID,
  R1,
  SECRET_PASSWORD,
  SWEEP_RUNS,
  SWEEP_UID,
  mlperfRows,
  sweepRuns,
} from './fixture.js';

const R1_PATH = `/result/${MLPERF_UID}/${MLPERF_RUN}/${R1.uid}`;
const SWEEP_ROW = sweepRuns[0][0];
const SWEEP_ID = `${SWEEP_UID}/${SWEEP_RUNS[0]}/${SWEEP_ROW.uid}`;

/** Opens a fresh context, runs `fn(page)`, then asserts no 5xx and no dialog. */
async function withPage(browser, fn) {
  const { page, context, serverErrors, dialogs } = await newPage(browser);
  page.setDefaultTimeout(15_000);
  try {
    await fn(page);
    assert.deepEqual(serverErrors, [], 'no HTTP 5xx');
    assert.deepEqual(dialogs, [], 'no dialog (alert, confirm)');
  } finally {
    await context.close();
  }
}

/** Rows' data-alias attributes of the experiments table, sorted. */
async function listedAliases(page) {
  await page.waitForSelector('[data-testid=experiments], [data-testid=no-experiments]');
  const aliases = await page.$$eval('[data-testid=experiment-row]', (rows) =>
    rows.map((r) => r.getAttribute('data-alias')),
  );
  return aliases.sort();
}

/** An HTTP GET whose path is sent as written (fetch would resolve `../`). */
function rawGet(url, path) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('playground pages', { skip: noBrowser }, () => {
  let s;
  let gui;
  let browser;
  before(async () => {
    s = await fixtureHome();
    gui = await startGui(s);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await gui?.stop();
  });

  test('the home page lists the two open experiments with their result counts; a tag narrows it (1)', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/`);
      assert.deepEqual(await listedAliases(page), ['mlperf-demo', 'sweep-demo']);
      const count = (alias) =>
        page.textContent(`[data-alias="${alias}"] [data-testid=results]`).then(Number);
      assert.equal(await count('mlperf-demo'), 12);
      assert.equal(await count('sweep-demo'), 18);
      await page.fill('[data-testid=search]', 'sweep');
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid=experiment-row]').length === 1,
      );
      assert.deepEqual(await listedAliases(page), ['sweep-demo']);
      await page.fill('[data-testid=search]', '');
      await page.goto(`${gui.url}/?tags=mlperf`);
      assert.deepEqual(await listedAliases(page), ['mlperf-demo']);
      assert.match(await page.textContent('[data-testid=tag-chips]'), /mlperf/);
      await page.check(`[data-uid="${MLPERF_UID}"] [data-testid=select-experiment]`);
      await page.click('[data-testid=explore-selected]');
      await page.waitForURL(/\/explore\?/);
      assert.equal(new URL(page.url()).searchParams.get('name'), MLPERF_UID);
    });
  });

  test('the unlock dialog refuses a wrong password and reveals secret-demo after the right one (21)', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/`);
      assert.deepEqual(await listedAliases(page), ['mlperf-demo', 'sweep-demo']);
      await page.click('[data-testid=unlock]');
      await page.fill('[data-testid=unlock-password]', 'not the password');
      await page.click('[data-testid=unlock-submit]');
      await page.waitForSelector('[data-testid=unlock-error]:not([hidden])');
      assert.match(await page.textContent('[data-testid=unlock-error]'), /wrong password/i);
      await page.click('[data-testid=unlock-dialog] button[type=button]');
      assert.deepEqual(await listedAliases(page), ['mlperf-demo', 'sweep-demo']);
      await page.click('[data-testid=unlock]');
      await page.fill('[data-testid=unlock-password]', SECRET_PASSWORD);
      await page.click('[data-testid=unlock-submit]');
      await page.waitForSelector('[data-alias="secret-demo"]');
      assert.deepEqual(await listedAliases(page), ['mlperf-demo', 'secret-demo', 'sweep-demo']);
    });
    // A fresh session (no cookie) still does not see it.
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/`);
      assert.deepEqual(await listedAliases(page), ['mlperf-demo', 'sweep-demo']);
    });
  });

  test("a legacy _graph URL with result_uid opens that result's page (17)", async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/?action=experiments&name=${MLPERF_UID}&result_uid=${R1.uid}`);
      await page.waitForURL((u) => u.pathname === R1_PATH);
      await page.waitForSelector('[data-testid=keys]');
      assert.equal(
        await page.textContent('[data-key="SystemName"] [data-testid=key-value]'),
        R1.SystemName,
      );
    });
  });

  test('a legacy _graph URL without result_uid goes to explore with the same state', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/?action=experiments&tags=mlperf&type=2d-static&x=Result_Power`);
      await page.waitForURL(/\/explore\?/);
      const q = new URL(page.url()).searchParams;
      assert.equal(q.get('tags'), 'mlperf');
      assert.ok([null, 'scatter'].includes(q.get('type')), `type ${q.get('type')}`);
      assert.equal(q.get('x'), 'Result_Power');
      assert.equal(q.get('action'), null);
    });
  });

  test("R1's page renders its report's README as HTML, without running its script, and its badges (13)", async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}${R1_PATH}`);
      await page.waitForSelector('[data-testid=report]');
      assert.equal(
        (await page.textContent('[data-testid=report] .report-body h1')).trim(),
        'Reproducibility report',
      );
      assert.equal(await page.textContent('[data-testid=report] .report-body strong'), 'good');
      assert.equal(await page.$('[data-testid=report] script'), null);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      const badges = await page.$$eval('[data-testid=badge]', (imgs) =>
        imgs.map((i) => [i.getAttribute('data-badge'), i.getAttribute('alt'), i.complete]),
      );
      assert.deepEqual(badges.map(([key]) => key).sort(), [
        'acm_ctuning_repro_badge_functional',
        'acm_ctuning_repro_badge_reproduce',
      ]);
      for (const [, alt] of badges) assert.match(alt, /^ACM badge: /);
    });
  });

  test('a sweep result lists every key, its step command and env, and copies the replay command (12)', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/result/${SWEEP_ID}`);
      await page.waitForSelector('[data-testid=keys]');
      const keys = await page.$$eval('[data-testid=key-row]', (rows) =>
        rows.map((r) => r.getAttribute('data-key')),
      );
      for (const k of [...Object.keys(SWEEP_ROW), '_id', 'experiment_alias', 'experiment_dir'])
        assert.ok(keys.includes(k), `key ${k} listed`);
      assert.equal(await page.textContent('[data-key="time"] [data-testid=key-value]'), '11');
      assert.equal(
        await page.textContent('[data-testid=step-command]'),
        `echo A=${SWEEP_ROW.A} B=${SWEEP_ROW.B}`,
      );
      assert.equal(await page.textContent('[data-testid=env-row][data-key="A"] td'), '1');
      const expected = `cm replay experiment sweep-demo --dir=${SWEEP_RUNS[0]} --uid=${SWEEP_ROW.uid}`;
      assert.equal(await page.textContent('[data-testid=replay-command]'), expected);
      await page.click('[data-testid=copy-replay]');
      await page.waitForSelector('.copy-status:text("copied")');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
      await page.click('[data-testid=step-file][data-path="stdout.log"] button');
      assert.equal(
        (await page.textContent('[data-testid=file-view]')).trim(),
        `time=${SWEEP_ROW.time}`,
      );
    });
  });

  test('markup in a result value shows as text and runs nothing', async () => {
    const row = mlperfRows[3];
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/result/${MLPERF_UID}/${MLPERF_RUN}/${row.uid}`);
      await page.waitForSelector('[data-key="note"]');
      assert.equal(
        await page.textContent('[data-key="note"] [data-testid=key-value]'),
        '<img src=x onerror=alert(1)>',
      );
      assert.equal(await page.$('[data-testid=keys] img'), null);
      await page.waitForTimeout(300);
    });
  });

  test('two results added to compare show side by side with deltas; "show diff only" hides equal keys (15)', async () => {
    const [a, b] = [mlperfRows[0], mlperfRows[1]];
    await withPage(browser, async (page) => {
      for (const r of [a, b]) {
        await page.goto(`${gui.url}/result/${MLPERF_UID}/${MLPERF_RUN}/${r.uid}`);
        await page.click('[data-testid=add-to-compare]');
      }
      await page.click('[data-testid=compare-link]');
      await page.waitForSelector('[data-testid=compare-table]');
      const columns = await page.$$eval('[data-testid=compare-column]', (c) =>
        c.map((x) => x.getAttribute('data-id')),
      );
      assert.deepEqual(columns, [
        `${MLPERF_UID}/${MLPERF_RUN}/${a.uid}`,
        `${MLPERF_UID}/${MLPERF_RUN}/${b.uid}`,
      ]);
      const delta = await page.textContent('[data-key="Result"] [data-testid=delta]');
      assert.match(delta, /Δ \+300 \(\+25\.0%\)/);
      const visible = () =>
        page.$$eval('[data-testid=compare-row]', (rows) =>
          rows.filter((r) => !r.hidden).map((r) => r.getAttribute('data-key')),
        );
      assert.ok((await visible()).includes('experiment_alias'));
      await page.check('[data-testid=diff-only]');
      const diff = await visible();
      assert.ok(!diff.includes('experiment_alias'), 'equal key hidden');
      assert.ok(diff.includes('Model'), 'the models differ');
      assert.ok(diff.includes('Result') && diff.includes('Accuracy'));
      await page.waitForSelector('[data-testid=parallel-strip] canvas');
    });
  });

  test('without --allow-exec there is no "Replay now" and POST /api/replay is 403 (20, first half)', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/result/${SWEEP_ID}`);
      await page.waitForSelector('[data-testid=reproduce]');
      assert.equal(await page.$('[data-testid=replay-now]'), null);
    });
    const res = await fetch(`${gui.url}/api/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ exp: SWEEP_UID, dir: SWEEP_RUNS[0], uid: SWEEP_ROW.uid }),
    });
    assert.equal(res.status, 403);
  });

  test('a step file path climbing out of the step folder is refused with a 4xx (22)', async () => {
    const base = `/api/files/${SWEEP_UID}/${SWEEP_RUNS[0]}/${SWEEP_ROW.uid}`;
    assert.equal(await rawGet(gui.url, `${base}/stdout.log`), 200);
    for (const bad of ['/../../_cm.json', '/..%2F..%2F_cm.json', '/%2e%2e/%2e%2e/_cm.json']) {
      const code = await rawGet(gui.url, `${base}${bad}`);
      assert.ok(code >= 400 && code < 500, `${bad}: ${code}`);
    }
  });

  test('the scripts page finds a built-in script by tags and opens it', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/scripts`);
      await page.fill('[data-testid=scripts-tags]', 'detect,os');
      await page.waitForSelector('[data-testid=script-row][data-alias="detect-os"]');
      await page.click('[data-testid=script-row][data-alias="detect-os"] a');
      await page.waitForSelector('[data-testid=script-title]');
      assert.equal(await page.textContent('[data-testid=script-title]'), 'detect-os');
      assert.match(await page.textContent('[data-testid=script-command]'), /--tags=.*detect/);
    });
  });

  test('the cache page loads with its total', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/cache`);
      await page.waitForSelector('[data-testid=cache-total]');
      assert.match(await page.textContent('[data-testid=cache-total]'), /entr(y|ies), .* in all/);
    });
  });

  test('the views page opens a saved view on explore and deletes it', async () => {
    const view = { name: 'power-view', params: { tags: 'mlperf', x: 'Result_Power' } };
    const put = await fetch(`${gui.url}/api/views/power-view`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(view),
    });
    assert.equal(put.status, 200);
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/views`);
      await page.waitForSelector('[data-testid=view-row][data-name="power-view"]');
      await page.click('[data-name="power-view"] [data-testid=delete-view]');
      await page.click('[data-name="power-view"] [data-testid=delete-view]');
      await page.waitForSelector('[data-testid=no-views]');
      await fetch(`${gui.url}/api/views/power-view`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(view),
      });
      await page.reload();
      await page.click('[data-name="power-view"] [data-testid=open-view]');
      await page.waitForURL(/\/explore\?/);
      assert.equal(new URL(page.url()).searchParams.get('x'), 'Result_Power');
    });
  });
});

describe('replay from the playground (--allow-exec)', { skip: noBrowser }, () => {
  let gui;
  let browser;
  /** What one click on "Replay now" gave: the job's end, its log, the new-run link, errors. */
  let replay;
  before(async () => {
    const s = await fixtureHome();
    gui = await startGui(s, ['--allow-exec']);
    browser = await launchBrowser();
    const { page, context, serverErrors, dialogs } = await newPage(browser);
    try {
      page.setDefaultTimeout(60_000);
      await page.goto(`${gui.url}/result/${SWEEP_ID}`);
      await page.click('[data-testid=replay-now]');
      await page.waitForSelector('[data-testid=job-status]:not([data-status="running"])');
      const link = await page.$('[data-testid=new-run]');
      replay = {
        status: await page.getAttribute('[data-testid=job-status]', 'data-status'),
        log: await page.textContent('[data-testid=job-log]'),
        newRun: link ? await link.textContent() : undefined,
        serverErrors,
        dialogs,
      };
    } finally {
      await context.close();
    }
  });
  after(async () => {
    await browser?.close();
    await gui?.stop();
  });

  /** The run folder the replay wrote, as `cm run experiment` prints it. */
  const runDirOfLog = (log) => /Path to experiment: (\S+)/.exec(log)?.[1].split('/').pop();

  test('"Replay now" streams the log of the replay and its final status (20)', () => {
    assert.deepEqual(replay.serverErrors, []);
    assert.deepEqual(replay.dialogs, []);
    assert.equal(replay.status, 'ok', `job ended ${replay.status}; log:\n${replay.log}`);
    assert.match(replay.log, /A=1 B=1/, "the replayed command's output is streamed");
    const runDir = runDirOfLog(replay.log);
    assert.ok(runDir && !SWEEP_RUNS.includes(runDir), `a new run folder: ${runDir}`);
  });

  test('the new run appears on the experiments page (20)', async () => {
    const runDir = runDirOfLog(replay.log);
    await withPage(browser, async (page) => {
      await page.goto(`${gui.url}/?tags=sweep`);
      await page.waitForSelector('[data-testid=experiment-row]');
      const runs = await page.$$eval('[data-testid=experiment-row] [data-testid=runs]', (c) =>
        c.map((x) => Number(x.textContent)),
      );
      assert.equal(
        runs.reduce((a, b) => a + b, 0),
        SWEEP_RUNS.length + 1,
      );
      const uids = await page.$$eval('[data-testid=experiment-row]', (rows) =>
        rows.map((r) => r.getAttribute('data-uid')),
      );
      const dirs = [];
      for (const uid of uids) {
        const detail = await (await fetch(`${gui.url}/api/experiments/${uid}`)).json();
        dirs.push(...detail.runs_list.map((r) => r.dir));
      }
      assert.ok(dirs.includes(runDir), `${runDir} listed among ${dirs.join(', ')}`);
    });
  });

  test('the finished replay links its new run', () => {
    assert.equal(replay.newRun, runDirOfLog(replay.log));
  });
});

describe('cm gui on a network address', () => {
  test('refuses --host 0.0.0.0 without --token, saying why (24)', async () => {
    const s = await fixtureHome();
    const proc = spawn(
      process.execPath,
      [cmBin, 'gui', '--host=0.0.0.0', '--port=0', '--no_browser'],
      {
        cwd: s.dir,
        env: { ...process.env, CM_REPOS: s.home },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => {
      const timer = setTimeout(() => {
        proc.kill('SIGTERM');
        resolve('still running');
      }, 20_000);
      proc.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.notEqual(code, 0, `exit code ${code}; stderr:\n${stderr}`);
    assert.notEqual(code, 'still running', `it started:\n${stderr}`);
    assert.match(stderr, /0\.0\.0\.0/);
    assert.match(stderr, /--token/);
  });
});
