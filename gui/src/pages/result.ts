// One result (gui.md §5.5 item 3): its keys grouped by prefix, badges, provenance with the step's
// files, the reports written about it, and the reproduce box.
import { api } from '../api.js';
import { badges } from '../components/badges.js';
import { errorBox } from '../components/error-box.js';
import { keyGroups } from '../components/key-groups.js';
import { provenance } from '../components/provenance.js';
import { reports } from '../components/reports.js';
import { reproduceBox } from '../components/reproduce-box.js';
import { append, h } from '../dom.js';
import type { Page } from '../router.js';

export const resultPage: Page = async (root, { params }) => {
  const { exp = '', dir = '', uid = '' } = params;
  let detail;
  let execAllowed = false;
  try {
    const [d, health] = await Promise.all([api.result(exp, dir, uid), api.health()]);
    detail = d;
    execAllowed = health.execAllowed;
  } catch (e) {
    root.append(h('h1', {}, 'Result'), errorBox(e));
    return;
  }
  const { row } = detail;
  const box = reproduceBox(detail, execAllowed);
  append(root, [
    h(
      'h1',
      { 'data-testid': 'result-title' },
      `${row.experiment_alias || row.experiment_uid} — result ${row.uid}`,
    ),
    badges(detail.badges),
    box.element,
    reports(detail.reports),
    h('section', {}, h('h2', {}, 'Keys'), keyGroups(row)),
    provenance(detail),
  ]);
  return () => box.stop();
};
