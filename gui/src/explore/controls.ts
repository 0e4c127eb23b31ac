// Small form controls of the explore panel: labelled fields, key selectors that follow the key
// catalogue, text inputs that commit after a pause, and the slot showing an expression's errors.
import type { QueryError } from '../../../src/core/results/types.js';
import { h, replace, type Child } from '../dom.js';

export function field(label: string, ...controls: Child[]): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), ...controls);
}

export interface KeySelect {
  el: HTMLSelectElement;
  /** Offers `keys` (keeping `value` even when no row has it) and selects `value`. */
  update(keys: readonly string[], value: string | undefined): void;
}

/** A select of keys with a blank first choice (`blank` says what it means). */
export function keySelect(
  testid: string,
  blank: string,
  onChange: (value: string | undefined) => void,
): KeySelect {
  const el = h('select', {
    'data-testid': testid,
    onchange: () => onChange(el.value === '' ? undefined : el.value),
  });
  let shown = '';
  return {
    el,
    update(keys, value) {
      const list = value && !keys.includes(value) ? [...keys, value] : keys;
      const signature = JSON.stringify(list);
      if (signature !== shown) {
        shown = signature;
        replace(
          el,
          h('option', { value: '' }, blank),
          ...list.map((k) => h('option', { value: k }, k)),
        );
      }
      el.value = value ?? '';
    },
  };
}

export interface TextControl {
  el: HTMLInputElement | HTMLTextAreaElement;
  /** Shows `value` unless the user is typing in it. */
  update(value: string | undefined): void;
}

/**
 * A text input (or a textarea) that commits its trimmed value `delay` ms after the last keystroke
 * (never, with Infinity), and at once on change (Enter, leaving the field).
 */
export function textControl(options: {
  testid: string;
  placeholder?: string;
  multiline?: boolean;
  delay?: number;
  onCommit: (value: string | undefined) => void;
}): TextControl {
  const attrs = {
    'data-testid': options.testid,
    placeholder: options.placeholder,
    spellcheck: 'false',
  };
  const el = options.multiline ? h('textarea', { ...attrs, rows: 3 }) : h('input', attrs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let committed = '';
  const commit = (): void => {
    clearTimeout(timer);
    const v = el.value.trim();
    if (v === committed) return;
    committed = v;
    options.onCommit(v === '' ? undefined : v);
  };
  const delay = options.delay ?? 600;
  el.addEventListener('input', () => {
    clearTimeout(timer);
    if (Number.isFinite(delay)) timer = setTimeout(commit, delay);
  });
  el.addEventListener('change', commit);
  return {
    el,
    update(value) {
      committed = value ?? '';
      if (document.activeElement !== el) el.value = committed;
    },
  };
}

export function checkbox(
  testid: string,
  label: string,
  onChange: (isChecked: boolean) => void,
): { el: HTMLElement; input: HTMLInputElement } {
  const input = h('input', {
    type: 'checkbox',
    'data-testid': testid,
    onchange: () => onChange(input.checked),
  });
  return { el: h('label', { class: 'check' }, input, ' ', label), input };
}

/**
 * An error as one line: the engine's message (which quotes the expression and its column), where
 * it is when the message does not say, rows affected and the hint.
 */
export function describeError(e: QueryError): string {
  const where = [
    e.line !== undefined && !e.message.includes(`line ${e.line}`) ? `line ${e.line}` : undefined,
    e.position !== undefined && !e.message.includes(`column ${e.position}`)
      ? `column ${e.position}`
      : undefined,
  ].filter(Boolean);
  const at = where.length ? ` (${where.join(', ')})` : '';
  const rows = e.rowsAffected !== undefined ? ` (${e.rowsAffected} rows)` : '';
  return `${e.message}${at}${rows}${e.hint ? ` — ${e.hint}` : ''}`;
}

/** The erroneous line of `source` with a caret under the error's column. */
function caret(e: QueryError, source: string | undefined): HTMLElement | null {
  if (source === undefined || e.position === undefined) return null;
  const line = source.split('\n')[(e.line ?? 1) - 1];
  if (line === undefined) return null;
  return h('pre', { class: 'error-caret' }, `${line}\n${' '.repeat(Math.max(0, e.position - 1))}^`);
}

/** A slot listing the errors of one part of the query (empty and hidden when there are none). */
export function errorSlot(testid: string): {
  el: HTMLElement;
  /** `sourceOf` gives the text an error points into (for the caret under its column). */
  update(errors: readonly QueryError[], sourceOf?: (e: QueryError) => string | undefined): void;
} {
  const el = h('div', { class: 'error inline-error', role: 'alert', 'data-testid': testid });
  el.hidden = true;
  return {
    el,
    update(errors, sourceOf) {
      el.hidden = errors.length === 0;
      replace(
        el,
        ...errors.map((e) =>
          h(
            'div',
            { 'data-position': e.position, 'data-line': e.line },
            describeError(e),
            caret(e, sourceOf?.(e)),
          ),
        ),
      );
    },
  };
}
