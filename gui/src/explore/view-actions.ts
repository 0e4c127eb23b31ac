// Sharing a view (gui.md §5.5 items 2 and 5): "Copy link" puts the page's URL (which every
// control keeps current) on the clipboard; "Save view" stores its parameters under a name.
import { api } from '../api.js';
import { h } from '../dom.js';
import type { ExploreStore } from './explore-store.js';
import { paramsOfView } from '../../../src/core/results/view-url.js';

/** The clipboard API needs a secure context; a loopback page has one, a LAN address may not. */
async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused: fall back to showing the text for the user to copy.
    }
  }
  return false;
}

export function viewActions(store: ExploreStore): HTMLElement {
  const status = h('span', {
    class: 'status',
    'data-testid': 'view-status',
    'aria-live': 'polite',
  });
  const link = h('input', { class: 'copy-fallback', readonly: true, 'data-testid': 'link-text' });
  link.hidden = true;
  const copy = h(
    'button',
    {
      type: 'button',
      'data-testid': 'copy-link',
      onclick: async () => {
        const isCopied = await copyText(location.href);
        link.hidden = isCopied;
        link.value = location.href;
        if (!isCopied) link.select();
        status.textContent = isCopied ? 'Link copied' : 'Copy the link below';
      },
    },
    'Copy link',
  );
  const name = h('input', { placeholder: 'view name', 'data-testid': 'view-name', size: 12 });
  const save = h(
    'button',
    {
      type: 'button',
      'data-testid': 'save-view',
      onclick: async () => {
        const n = name.value.trim();
        if (!n) {
          status.textContent = 'Name the view first';
          return;
        }
        // A saved view is one value per parameter: constraints (ANDed) become one expression.
        const params: Record<string, string> = {};
        for (const [k, v] of paramsOfView(store.model.view))
          params[k] = k in params ? `(${params[k]}) && (${v})` : v;
        try {
          await api.saveView({ name: n, params });
          status.textContent = `Saved as ${n}`;
        } catch (e) {
          status.textContent = `Not saved: ${(e as Error).message}`;
        }
      },
    },
    'Save view',
  );
  return h('div', { class: 'view-actions' }, copy, ' ', name, save, ' ', status, link);
}
