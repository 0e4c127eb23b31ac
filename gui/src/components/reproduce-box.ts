// The reproduce box of a result (gui.md §5.5 item 3): the `cm replay experiment` command and the
// original command, each copyable; "Replay now" only where the server runs with --allow-exec
// (streams the job's log, then links the new run); "Add to compare".
import type { ResultDetail } from '../../../src/core/results/types.js';
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { addToCompare, compareIds, compareUrl } from './compare-list.js';
import { copyButton } from './copy-button.js';
import { errorBox } from './error-box.js';
import { jobLog, type JobLog } from './job-log.js';

export interface ReproduceBox {
  element: HTMLElement;
  stop(): void;
}

export function reproduceBox(d: ResultDetail, execAllowed: boolean): ReproduceBox {
  const { replay, original } = d.commands;
  let job: JobLog | undefined;
  const jobBox = h('div', { class: 'replay-job' });
  return {
    element: h(
      'section',
      { class: 'reproduce', 'data-testid': 'reproduce' },
      h('h2', {}, 'Reproduce'),
      h('pre', { class: 'command', 'data-testid': 'replay-command' }, replay),
      copyButton('Copy replay command', () => replay, 'copy-replay'),
      original
        ? h(
            'div',
            {},
            h('h3', {}, 'Original command'),
            h('pre', { class: 'command', 'data-testid': 'original-command' }, original),
            copyButton('Copy original command', () => original, 'copy-original'),
          )
        : null,
      h(
        'div',
        { class: 'actions' },
        execAllowed ? replayButton(d, jobBox, (j) => (job = j)) : null,
        compareButton(d.row._id),
      ),
      jobBox,
    ),
    stop: () => job?.stop(),
  };
}

function replayButton(d: ResultDetail, box: HTMLElement, started: (j: JobLog) => void) {
  const { row } = d;
  const button = h(
    'button',
    {
      type: 'button',
      'data-testid': 'replay-now',
      onclick: async () => {
        button.disabled = true;
        try {
          const { job } = await api.replay(row.experiment_uid, row.experiment_dir, row.uid);
          const log = jobLog(job, (done) => {
            button.disabled = false;
            if (done.runDir) box.append(newRunLink(row.experiment_uid, done.runDir));
          });
          started(log);
          replace(
            box,
            h(
              'p',
              {},
              'Job ',
              h('a', { href: `/jobs/${encodeURIComponent(job)}`, 'data-link': true }, job),
            ),
            log.element,
          );
        } catch (e) {
          button.disabled = false;
          replace(box, errorBox(e, 'replay-error'));
        }
      },
    },
    'Replay now',
  );
  return button;
}

function newRunLink(exp: string, runDir: string): HTMLElement {
  const href = `/explore?name=${encodeURIComponent(exp)}&runs=${encodeURIComponent(`${exp}/${runDir}`)}`;
  return h(
    'p',
    {},
    'New run: ',
    h('a', { href, 'data-link': true, 'data-testid': 'new-run' }, runDir),
  );
}

function compareButton(id: string): HTMLElement {
  const link = h('a', { 'data-link': true, 'data-testid': 'compare-link' });
  const shown = (ids: string[]) => {
    link.href = compareUrl(ids);
    link.textContent = `Compare (${ids.length})`;
    link.hidden = ids.length === 0;
  };
  shown(compareIds());
  const button = h(
    'button',
    {
      type: 'button',
      'data-testid': 'add-to-compare',
      onclick: () => {
        shown(addToCompare(id));
        button.textContent = 'Added to compare';
      },
    },
    'Add to compare',
  );
  return h('span', {}, button, ' ', link);
}
