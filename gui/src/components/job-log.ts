// A job's log streamed from GET /api/jobs/:id/events (SSE: `log` events carry one line, `done`
// carries {status, code, runDir?}); shown as text, with the final status when the job ends.
import { eventsUrl } from '../api.js';
import { h } from '../dom.js';

export interface JobDone {
  status: 'ok' | 'failed';
  code: number;
  /** The run folder the replay wrote, when it wrote one. */
  runDir?: string;
}

export interface JobLog {
  element: HTMLElement;
  /** Stops listening (the page was left). */
  stop(): void;
}

export function jobLog(job: string, onDone: (d: JobDone) => void): JobLog {
  const log = h('pre', { class: 'job-log', 'data-testid': 'job-log' });
  const status = h(
    'div',
    { class: 'job-status', 'data-testid': 'job-status', 'data-status': 'running', role: 'status' },
    'running…',
  );
  const source = new EventSource(eventsUrl(`/jobs/${encodeURIComponent(job)}/events`));
  let finished = false;
  const finish = (state: string, text: string) => {
    finished = true;
    source.close();
    status.setAttribute('data-status', state);
    status.textContent = text;
  };
  source.addEventListener('log', (ev) => {
    log.append(`${(ev as MessageEvent<string>).data}\n`);
    log.scrollTop = log.scrollHeight;
  });
  source.addEventListener('done', (ev) => {
    const done = JSON.parse((ev as MessageEvent<string>).data) as JobDone;
    finish(done.status, done.status === 'ok' ? 'finished' : `failed (exit code ${done.code})`);
    onDone(done);
  });
  // The browser would reconnect and might repeat lines: a lost stream is reported instead.
  source.addEventListener('error', () => {
    if (!finished) finish('lost', 'the log stream was lost (the job may still be running): reload');
  });
  return {
    element: h('div', { class: 'job', 'data-testid': 'job', 'data-job': job }, status, log),
    stop: () => source.close(),
  };
}
