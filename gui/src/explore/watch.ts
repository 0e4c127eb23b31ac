// Live updates (`cm gui --watch`, gui.md §5.6): GET /api/events pushes `results-changed` when a
// result file changes; the page asks its query again (bursts of events make one query).
import { eventsUrl } from '../api.js';

/** Calls `onChange` after result files change; returns the function that stops listening. */
export function watchResults(onChange: () => void): () => void {
  const source = new EventSource(eventsUrl('/events'));
  let timer: ReturnType<typeof setTimeout> | undefined;
  source.addEventListener('results-changed', () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, 150);
  });
  return () => {
    clearTimeout(timer);
    source.close();
  };
}
