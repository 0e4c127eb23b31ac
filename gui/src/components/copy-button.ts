// A button that puts a text on the clipboard and says whether it worked (the clipboard needs a
// secure context: loopback counts, a plain-http LAN address does not).
import { h } from '../dom.js';

export function copyButton(label: string, text: () => string, testid: string): HTMLElement {
  const status = h('span', { class: 'copy-status', 'aria-live': 'polite' });
  const button = h(
    'button',
    {
      type: 'button',
      'data-testid': testid,
      onclick: () => {
        const clipboard = navigator.clipboard as Clipboard | undefined;
        if (!clipboard) {
          status.textContent = 'no clipboard here: select the text and copy it';
          return;
        }
        clipboard.writeText(text()).then(
          () => (status.textContent = 'copied'),
          (e: Error) => (status.textContent = `not copied: ${e.message}`),
        );
      },
    },
    label,
  );
  return h('span', { class: 'copy' }, button, status);
}
