// What the explore page's browser tests share: opening the page and waiting for its chart or
// table, reading its state (controls, chart, table), and the checks every test ends with.
import assert from 'node:assert/strict';
import { newPage } from './harness.js';

/** Opens `path` of `gui` in a fresh context; waits until the table shows the first answer. */
export async function openExplore(browser, gui, path, options = {}) {
  const t = await newPage(browser, { viewport: { width: 1400, height: 1000 }, ...options });
  await t.page.goto(`${gui.url}${path}`);
  await waitIdle(t.page);
  return t;
}

/** Until no query is running and the chart (unless hidden) has drawn its latest option. */
export async function waitIdle(page) {
  await page.waitForFunction(() => {
    if (document.querySelector('[data-testid=badge-loading]')) return false;
    if (!document.querySelector('[data-testid=badge-total]')) return false;
    const chart = document.querySelector('[data-testid=chart]');
    return (
      chart.hidden ||
      (chart.dataset.drawn !== undefined && chart.dataset.rendered === chart.dataset.drawn)
    );
  });
}

/** Types `value` into a text control and leaves it (which commits it), then waits. */
export async function commitText(page, testid, value) {
  const input = page.locator(`[data-testid=${testid}]`).first();
  await input.fill(value);
  await input.press('Tab');
  await waitIdle(page);
}

/** Chooses `value` in a select, then waits. */
export async function choose(page, testid, value) {
  await page.locator(`[data-testid=${testid}]`).first().selectOption(value);
  await waitIdle(page);
}

/** The chart element's counters (`points`, `greyed`, `x`, `y`, `type`). */
export function chartData(page) {
  return page.locator('[data-testid=chart]').evaluate((el) => ({ ...el.dataset }));
}

/** `_id`s of the table's rows in the DOM, top to bottom. */
export function tableIds(page, selector = 'tr[data-id]') {
  return page
    .locator(`[data-testid=table] ${selector}`)
    .evaluateAll((trs) => trs.map((tr) => tr.dataset.id));
}

export function tableColumns(page) {
  return page
    .locator('[data-testid=table] th[data-key]')
    .evaluateAll((ths) => ths.map((th) => th.dataset.key));
}

/** Text of one cell. */
export function cell(page, id, key) {
  return page
    .locator(`[data-testid=table] tr[data-id="${id}"] td[data-col="${key}"]`)
    .textContent();
}

/** Keys offered by a key selector. */
export function options(page, testid) {
  return page
    .locator(`[data-testid=${testid}] option`)
    .evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
}

/** Pixel of a row's point within the page (for hover and click), via the page's test hook. */
export async function pointOf(page, id) {
  const at = await page.evaluate((rowId) => window.__cmLocate?.(rowId), id);
  assert.ok(at?.pixel, `no point for ${id}`);
  const box = await page.locator('[data-testid=chart]').boundingBox();
  return { x: box.x + at.pixel[0], y: box.y + at.pixel[1] };
}

/** No HTTP 5xx, no dialog (injected script); then closes the context. */
export async function finish(t) {
  await t.context.close();
  assert.deepEqual(t.serverErrors, [], 'no HTTP 5xx answers');
  assert.deepEqual(t.dialogs, [], 'no dialogs');
}
