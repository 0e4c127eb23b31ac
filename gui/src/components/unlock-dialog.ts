// The "Unlock" dialog for password-protected experiments (gui.md §5.6): the password goes to
// POST /api/unlock, which keeps the unlock in this browser's session cookie. A wrong password
// shows an error and reveals nothing.
import { api, ApiError } from '../api.js';
import { h } from '../dom.js';

/** A button that opens the dialog; `onUnlocked` runs after a correct password. */
export function unlockButton(onUnlocked: (count: number) => void): HTMLElement {
  const password = h('input', {
    type: 'password',
    autocomplete: 'current-password',
    'aria-label': 'password',
    'data-testid': 'unlock-password',
  });
  const error = h('div', { class: 'error', role: 'alert', 'data-testid': 'unlock-error' });
  error.hidden = true;
  const dialog = h('dialog', { 'data-testid': 'unlock-dialog' });
  const submit = async (ev: Event) => {
    ev.preventDefault();
    error.hidden = true;
    try {
      const { unlocked } = await api.unlock(password.value);
      password.value = '';
      dialog.close();
      onUnlocked(unlocked);
    } catch (e) {
      error.textContent =
        e instanceof ApiError && e.status === 403 ? 'Wrong password' : (e as Error).message;
      error.hidden = false;
    }
  };
  dialog.append(
    h(
      'form',
      { onsubmit: (ev: Event) => void submit(ev) },
      h('h2', {}, 'Unlock protected experiments'),
      h('label', {}, 'Password ', password),
      error,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', 'data-testid': 'unlock-submit' }, 'Unlock'),
        h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      ),
    ),
  );
  const open = h(
    'button',
    {
      type: 'button',
      'data-testid': 'unlock',
      onclick: () => {
        error.hidden = true;
        dialog.showModal();
        password.focus();
      },
    },
    'Unlock…',
  );
  return h('span', {}, open, dialog);
}
