// An API failure shown on the page: the server's message and its hint, as text.
import { ApiError } from '../api.js';
import { h } from '../dom.js';

export function errorBox(e: unknown, testid = 'error'): HTMLElement {
  const message = e instanceof Error ? e.message : String(e);
  const hint = e instanceof ApiError ? e.hint : undefined;
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-testid': testid },
    message,
    hint ? h('div', { class: 'hint' }, hint) : null,
  );
}
