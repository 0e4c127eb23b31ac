// Where a result came from (gui.md §5.5 item 3): its experiment and run folder, the step's command
// and env (the step folder's cm-input.json), the run's input, and the step's files.
import type { ResultDetail } from '../../../src/core/results/types.js';
import { display, h } from '../dom.js';
import { stepFiles } from './step-files.js';

export function provenance(d: ResultDetail): HTMLElement {
  const { row } = d;
  const exploreRun = `/explore?name=${encodeURIComponent(row.experiment_uid)}&runs=${encodeURIComponent(`${row.experiment_uid}/${row.experiment_dir}`)}`;
  return h(
    'section',
    { class: 'provenance', 'data-testid': 'provenance' },
    h('h2', {}, 'Provenance'),
    h(
      'dl',
      {},
      h('dt', {}, 'Experiment'),
      h(
        'dd',
        { 'data-testid': 'prov-experiment' },
        h(
          'a',
          { href: `/explore?name=${encodeURIComponent(row.experiment_uid)}`, 'data-link': true },
          row.experiment_alias || row.experiment_uid,
        ),
        ` (${row.experiment_uid})`,
      ),
      h('dt', {}, 'Run folder'),
      h(
        'dd',
        { 'data-testid': 'prov-dir' },
        h('a', { href: exploreRun, 'data-link': true }, row.experiment_dir),
      ),
    ),
    d.stepInput ? stepInput(d.stepInput) : null,
    d.runInput
      ? h(
          'details',
          { 'data-testid': 'run-input' },
          h('summary', {}, 'Run input (cm-input.json of the run)'),
          h('pre', {}, JSON.stringify(d.runInput, null, 2)),
        )
      : null,
    stepFiles(row._id, d.files),
  );
}

function stepInput(input: Record<string, unknown>): HTMLElement {
  const env = input['env'];
  const envRows =
    env && typeof env === 'object'
      ? Object.entries(env as Record<string, unknown>).map(([k, v]) =>
          h(
            'tr',
            { 'data-testid': 'env-row', 'data-key': k },
            h('th', {}, k),
            h('td', {}, display(v)),
          ),
        )
      : [];
  return h(
    'div',
    { class: 'step-input' },
    h('h3', {}, 'Step'),
    input['command'] !== undefined
      ? h('pre', { class: 'command', 'data-testid': 'step-command' }, display(input['command']))
      : null,
    envRows.length > 0
      ? h('table', { class: 'env', 'data-testid': 'step-env' }, h('tbody', {}, ...envRows))
      : null,
    h(
      'details',
      {},
      h('summary', {}, 'Step input (cm-input.json of the step)'),
      h('pre', {}, JSON.stringify(input, null, 2)),
    ),
  );
}
