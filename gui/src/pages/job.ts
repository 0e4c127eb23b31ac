// A replay job (gui.md §5.5 item 6, with --allow-exec): its streamed log and final status.
import { jobLog } from '../components/job-log.js';
import { h } from '../dom.js';
import type { Page } from '../router.js';

export const jobPage: Page = (root, { params }) => {
  const id = params['id'] ?? '';
  const ended = h('p', { 'data-testid': 'job-end' });
  const log = jobLog(id, (done) => {
    ended.textContent =
      done.status === 'ok'
        ? `Finished${done.runDir ? `: new run ${done.runDir}` : ''}.`
        : `Failed with exit code ${done.code}.`;
  });
  root.append(h('h1', {}, `Job ${id}`), log.element, ended);
  return () => log.stop();
};
