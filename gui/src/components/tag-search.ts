// A search box of tag chips plus free text (gui.md §5.5 item 1): Enter or a comma turns the typed
// word into a tag chip; what is still being typed is free text. Reports every change.
import { h, replace } from '../dom.js';

export interface TagQuery {
  tags: string[];
  text: string;
}

export interface TagSearch {
  element: HTMLElement;
  /** Adds a chip (a tag clicked elsewhere on the page). */
  addTag(tag: string): void;
}

export function tagSearch(
  onChange: (q: TagQuery) => void,
  placeholder: string,
  initial: string[] = [],
): TagSearch {
  const tags: string[] = [...initial];
  const chips = h('span', { class: 'chips', 'data-testid': 'tag-chips' });
  const input = h('input', {
    type: 'search',
    placeholder,
    'aria-label': placeholder,
    'data-testid': 'search',
  });
  const changed = () => onChange({ tags: [...tags], text: input.value.trim() });
  const drawChips = () =>
    replace(
      chips,
      ...tags.map((t, i) =>
        h(
          'span',
          { class: 'chip', 'data-testid': 'tag-chip' },
          t,
          h(
            'button',
            {
              type: 'button',
              'aria-label': `remove tag ${t}`,
              onclick: () => {
                tags.splice(i, 1);
                drawChips();
                changed();
              },
            },
            '×',
          ),
        ),
      ),
    );
  const addTag = (tag: string) => {
    const t = tag.trim();
    if (t !== '' && !tags.includes(t)) tags.push(t);
    drawChips();
    changed();
  };
  input.addEventListener('input', () => {
    if (!input.value.includes(',')) return changed();
    const parts = input.value.split(',');
    input.value = parts.pop() ?? '';
    for (const p of parts) addTag(p);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && input.value.trim() !== '') {
      ev.preventDefault();
      const t = input.value;
      input.value = '';
      addTag(t);
    } else if (ev.key === 'Backspace' && input.value === '' && tags.length > 0) {
      tags.pop();
      drawChips();
      changed();
    }
  });
  drawChips();
  return { element: h('div', { class: 'tag-search' }, chips, input), addTag };
}

/** Whether an item with these words matches: every chip is one of its tags, every free word is
 * part of one of its words (case-insensitive). */
export function matchesTagQuery(q: TagQuery, tags: string[], words: string[]): boolean {
  if (!q.tags.every((t) => tags.includes(t))) return false;
  const hay = [...tags, ...words].map((w) => w.toLowerCase());
  return q.text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .every((term) => hay.some((w) => w.includes(term)));
}
