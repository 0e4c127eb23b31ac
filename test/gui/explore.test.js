// The explore page in a real browser against `cm gui` over the §6 fixture (gui.md §6 scenarios
// 2-11, 14, 16, 18, 23): expected values come from the fixture's own data, not from the page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureHome, launchBrowser, noBrowser, startGui } from './harness.js';
import {
  MLPERF_RUN,
  MLPERF_UID,
  R1,
  SWEEP_RUNS,
  SWEEP_UID,
  mlperfRows,
  naiveFront,
  sweepRuns,
} from './fixture.js';
import {
  cell,
  chartData,
  choose,
  commitText,
  finish,
  openExplore,
  options,
  pointOf,
  tableColumns,
  tableIds,
  waitIdle,
} from './explore-page.js';

const mlperfId = (row) => `${MLPERF_UID}/${MLPERF_RUN}/${row.uid}`;
const sweepRows = sweepRuns.flatMap((rows, i) =>
  rows.map((r) => ({ ...r, _id: `${SWEEP_UID}/${SWEEP_RUNS[i]}/${r.uid}` })),
);

let s;
let gui;
let browser;
before(async () => {
  if (noBrowser) return;
  s = await fixtureHome();
  gui = await startGui(s);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await gui?.stop();
  s?.cleanup();
});

describe('the explore page', { skip: noBrowser }, () => {
  test('draws one point per row with CM’s default axes and a legend entry per version', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    const chart = await chartData(page);
    assert.equal(chart.points, '12');
    assert.equal(await page.locator('[data-testid=x]').inputValue(), 'Result');
    assert.equal(await page.locator('[data-testid=y]').inputValue(), 'Accuracy');
    assert.equal(await page.locator('[data-testid=color]').inputValue(), 'version');
    const legend = await page.evaluate(() => window.__cmChart.getOption().legend[0].data);
    assert.deepEqual(legend, [...new Set(mlperfRows.map((r) => r.version))]);
    assert.equal((await tableIds(page)).length, 12);
    await finish(t);
  });

  test('a new X axis is written to the URL and a reload keeps it', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    await choose(page, 'x', 'Result_Power');
    assert.equal((await chartData(page)).x, 'Result_Power');
    assert.equal(new URL(page.url()).searchParams.get('x'), 'Result_Power');
    await page.reload();
    await waitIdle(page);
    assert.equal(await page.locator('[data-testid=x]').inputValue(), 'Result_Power');
    const chart = await chartData(page);
    assert.equal(chart.x, 'Result_Power');
    assert.equal(chart.y, 'Accuracy');
    await finish(t);
  });

  test('a derived metric becomes a key of the selectors and a column with the right values', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    await commitText(page, 'derived', 'eff = Result / Result_Power');
    assert.ok((await options(page, 'x')).includes('eff'));
    assert.ok((await options(page, 'y')).includes('eff'));
    assert.ok((await tableColumns(page)).includes('eff'));
    const shown = Number(await cell(page, mlperfId(R1), 'eff'));
    assert.equal(shown.toFixed(3), (R1.Result / R1.Result_Power).toFixed(3));
    assert.equal(
      new URL(page.url()).searchParams.get('derived_metrics'),
      'eff = Result / Result_Power',
    );
    await finish(t);
  });

  test('a broken derived metric shows its error and position; the chart keeps its last state', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    await commitText(page, 'derived', 'eff = Result / Result_Power');
    const before = await chartData(page);
    await choose(page, 'y', 'eff');
    const drawn = (await chartData(page)).drawn;
    await commitText(page, 'derived', 'eff = Result / (Result_Power');
    const error = page.locator('[data-testid=error-derived]');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.textContent(), /column \d+/);
    const after = await chartData(page);
    assert.equal(after.drawn, drawn, 'the chart was not redrawn');
    assert.equal(after.points, before.points);
    assert.equal(after.y, 'eff');
    assert.ok((await tableColumns(page)).includes('eff'));
    await finish(t);
  });

  test("CM's result['key'] form of a derived metric is accepted", async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    await commitText(page, 'derived', "result['eff2'] = result['Result']*2");
    assert.equal(await page.locator('[data-testid=error-derived]').isVisible(), false);
    assert.ok((await options(page, 'x')).includes('eff2'));
    assert.equal(Number(await cell(page, mlperfId(R1), 'eff2')), R1.Result * 2);
    await finish(t);
  });

  test('a filter leaves the expected points and rows and says how many it excluded', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    await commitText(page, 'filter', 'Accuracy > 75');
    const n = mlperfRows.filter((r) => r.Accuracy > 75).length;
    assert.equal((await chartData(page)).points, String(n));
    assert.equal((await tableIds(page)).length, n);
    assert.equal(
      await page.locator('[data-testid=row-count]').getAttribute('data-count'),
      String(n),
    );
    assert.equal(
      await page.locator('[data-testid=badge-filter]').textContent(),
      `${12 - n} excluded by filter`,
    );
    await finish(t);
  });

  test('a constraint hides violators; greyed, they come back in grey and are not clickable', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    await commitText(page, 'constraint-add', 'Result_Power <= 100');
    const ok = mlperfRows.filter((r) => r.Result_Power <= 100);
    const bad = mlperfRows.filter((r) => r.Result_Power > 100);
    assert.equal((await chartData(page)).points, String(ok.length));
    assert.deepEqual((await tableIds(page)).sort(), ok.map(mlperfId).sort());
    assert.match(
      await page.locator('[data-testid=badge-constraints]').textContent(),
      new RegExp(`^${bad.length} violating`),
    );
    await page.locator('[data-testid=greyed]').check();
    await waitIdle(page);
    const chart = await chartData(page);
    assert.equal(chart.points, String(ok.length));
    assert.equal(chart.greyed, String(bad.length));
    assert.deepEqual(
      await tableIds(page, 'tr[data-violates="1"]').then((ids) => ids.sort()),
      bad.map(mlperfId).sort(),
    );
    const grey = await pointOf(page, mlperfId(bad[0]));
    await page.mouse.click(grey.x, grey.y);
    await page.waitForTimeout(300);
    assert.equal(new URL(page.url()).pathname, '/explore', 'a greyed point opens nothing');
    const live = await pointOf(page, mlperfId(ok[0]));
    await page.mouse.click(live.x, live.y);
    await page.waitForURL((u) => u.pathname.startsWith('/result/'));
    assert.equal(
      new URL(page.url()).pathname,
      `/result/${mlperfId(ok[0]).split('/').map(encodeURIComponent).join('/')}`,
    );
    await finish(t);
  });

  test('Pareto objectives mark the fixture’s frontier, draw a step line, and can keep only it', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    await choose(page, 'objective-add', 'Result');
    await choose(page, 'objective-add', 'Result_Power');
    const goals = await page
      .locator('[data-testid=objective-goal]')
      .evaluateAll((ss) => ss.map((x) => x.value));
    assert.deepEqual(goals, ['max', 'min'], 'goals guessed from the key names');
    const front = naiveFront(mlperfRows, [
      { key: 'Result', goal: 'max' },
      { key: 'Result_Power', goal: 'min' },
    ]).map(mlperfId);
    assert.deepEqual((await tableIds(page, 'tr[data-frontier="1"]')).sort(), [...front].sort());
    const steps = await page.evaluate(
      () => window.__cmChart.getOption().series.filter((x) => x.step).length,
    );
    assert.equal(steps, 1);
    assert.equal(new URL(page.url()).searchParams.get('pareto'), 'Result:max,Result_Power:min');
    await page.locator('[data-testid=frontier-only]').check();
    await waitIdle(page);
    assert.deepEqual((await tableIds(page)).sort(), [...front].sort());
    assert.equal((await tableIds(page, 'tr[data-id]:not([data-frontier="1"])')).length, 0);
    await finish(t);
  });

  test('Pareto on sweep-demo counts the row missing acc', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=sweep&pareto=time:min,acc:max');
    assert.equal(
      await t.page.locator('[data-testid=badge-pareto-missing]').textContent(),
      '1 row excluded (missing acc)',
    );
    await finish(t);
  });

  test('hovering a point shows its experiment and X/Y values, markup in values as text', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf&c=note');
    const { page } = t;
    const at = await pointOf(page, mlperfId(R1));
    await page.mouse.move(at.x, at.y);
    const tip = page.locator('[data-testid=tooltip]');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.textContent();
    assert.ok(text.includes('mlperf-demo'));
    assert.ok(text.includes(`Result: ${R1.Result}`));
    assert.ok(text.includes(`Accuracy: ${R1.Accuracy}`));
    const marked = mlperfRows.find((r) => r.note);
    const other = await pointOf(page, mlperfId(marked));
    await page.mouse.move(other.x, other.y);
    await page
      .locator('[data-testid=tooltip]', { hasText: marked.note })
      .waitFor({ state: 'visible' });
    assert.equal(await page.locator('[data-testid=chart] img').count(), 0);
    await finish(t);
  });

  test('the table sorts by a header, hides constant columns and exports what it shows', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=sweep&type=table');
    const { page } = t;
    const times = sweepRows.map((r) => r.time);
    await page.locator('th[data-key=time]').click();
    await waitIdle(page);
    assert.equal(
      Number(await page.locator('tr[data-id] td[data-col=time]').first().textContent()),
      Math.min(...times),
    );
    await page.locator('th[data-key=time]').click();
    await waitIdle(page);
    assert.equal(
      Number(await page.locator('tr[data-id] td[data-col=time]').first().textContent()),
      Math.max(...times),
    );
    assert.equal(new URL(page.url()).searchParams.get('sort'), '-time');
    assert.ok((await tableColumns(page)).includes('experiment_alias'));
    await page.locator('[data-testid=only-changed]').check();
    await waitIdle(page);
    const columns = await tableColumns(page);
    assert.ok(!columns.includes('experiment_alias'), 'constant across the rows');
    for (const key of ['A', 'B', 'time', 'acc', 'experiment_dir'])
      assert.ok(columns.includes(key), key);
    const ids = await tableIds(page);
    assert.equal(ids.length, sweepRows.length);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=export-csv]').click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trimEnd().split('\n');
    assert.equal(lines[0], columns.join(','));
    assert.equal(lines.length, ids.length + 1);
    await finish(t);
  });

  test('a copied link reproduces the chart, axes, expressions, constraints and Pareto', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    await choose(page, 'chart-type', 'line');
    await commitText(page, 'derived', 'eff = Result / Result_Power');
    await choose(page, 'y', 'eff');
    await commitText(page, 'filter', 'Accuracy > 72');
    await commitText(page, 'constraint-add', 'Result_Power <= 200');
    await choose(page, 'objective-add', 'Result');
    await choose(page, 'objective-add', 'eff');
    await page.locator('[data-testid=copy-link]').click();
    await page.locator('[data-testid=view-status]', { hasText: 'copied' }).waitFor();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(link, page.url());
    const stateOf = async (p) => ({
      chart: await chartData(p).then(
        ({ drawn: _d, rendered: _r, renderedAt: _a, ...rest }) => rest,
      ),
      type: await p.locator('[data-testid=chart-type]').inputValue(),
      derived: await p.locator('[data-testid=derived]').inputValue(),
      filter: await p.locator('[data-testid=filter]').inputValue(),
      constraints: await p
        .locator('[data-testid=constraint]')
        .evaluateAll((is) => is.map((i) => i.value)),
      objectives: await p
        .locator('.objective-line')
        .evaluateAll((ls) => ls.map((l) => l.dataset.key)),
      frontier: (await tableIds(p, 'tr[data-frontier="1"]')).sort(),
      rows: (await tableIds(p)).sort(),
    });
    const fresh = await openExplore(browser, gui, link.slice(gui.url.length));
    const [a, b] = [await stateOf(page), await stateOf(fresh.page)];
    assert.deepEqual(b, a);
    assert.equal(a.type, 'line');
    assert.equal(a.chart.y, 'eff');
    assert.deepEqual(a.constraints, ['Result_Power <= 200']);
    await finish(fresh);
    await finish(t);
  });

  test('code in a derived metric is rejected as invalid and never runs', async () => {
    const t = await openExplore(browser, gui, '/explore?tags=mlperf');
    const { page } = t;
    const pwned = join(s.dir, 'pwned');
    for (const code of [`__import__('os').system('touch ${pwned}')`, 'process.exit(1)']) {
      await commitText(page, 'derived', code);
      await page.locator('[data-testid=error-derived]').waitFor({ state: 'visible' });
    }
    assert.equal(existsSync(pwned), false);
    const health = await fetch(`${gui.url}/api/health`);
    assert.equal(health.status, 200);
    await finish(t);
  });

  test('brushing a parallel-coordinates axis filters the table to the brushed range', async () => {
    const t = await openExplore(
      browser,
      gui,
      '/explore?tags=sweep&type=parallel&axes=A,B,time,acc',
    );
    const { page } = t;
    const axes = await page.evaluate(() =>
      window.__cmChart.getOption().parallelAxis.map((a) => a.name),
    );
    assert.deepEqual(axes, ['A', 'B', 'time', 'acc']);
    await page.evaluate(() =>
      window.__cmChart.dispatchAction({
        type: 'axisAreaSelect',
        parallelAxisId: 'axis2',
        intervals: [[15, 25]],
      }),
    );
    await waitIdle(page);
    const inside = sweepRows.filter((r) => r.time >= 15 && r.time <= 25).map((r) => r._id);
    assert.deepEqual((await tableIds(page)).sort(), inside.sort());
    await page.locator('[data-testid="axis-flip-time"]').check();
    await waitIdle(page);
    assert.equal(
      await page.evaluate(() => window.__cmChart.getOption().parallelAxis[2].inverse),
      true,
    );
    assert.equal(new URL(page.url()).searchParams.get('axes'), 'A,B,time:flip,acc');
    assert.deepEqual((await tableIds(page)).sort(), inside.sort(), 'the brush survives the redraw');
    await page.locator('[data-testid="axis-log-acc"]').check();
    await waitIdle(page);
    assert.equal(
      await page.evaluate(() => window.__cmChart.getOption().parallelAxis[3].type),
      'log',
    );
    await finish(t);
  });
});
