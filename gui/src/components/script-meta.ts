// A script's meta as tables: variations by group (default and base marked), deps with their names
// and conditions, input flags with the env keys they set, and the env keys it exports.
import type { ScriptDetail } from '../api.js';
import { display, h } from '../dom.js';
import { variationGroups } from './script-command.js';

export function variationsSection(s: ScriptDetail): HTMLElement {
  const groups = [...variationGroups(s.variations)].sort(([a], [b]) =>
    a === '' ? 1 : b === '' ? -1 : a.localeCompare(b),
  );
  return h(
    'section',
    { 'data-testid': 'variations' },
    h('h2', {}, `Variations (${s.variations.length})`),
    ...groups.map(([group, vs]) =>
      h(
        'div',
        { class: 'variation-group', 'data-testid': 'variation-group', 'data-group': group },
        h('h3', {}, group === '' ? 'Without a group' : `Group ${group}`),
        h(
          'ul',
          {},
          ...vs.map((v) =>
            h(
              'li',
              { 'data-testid': 'variation', 'data-name': v.name },
              `_${v.name}`,
              v.isDefault ? h('span', { class: 'default' }, ' (default)') : null,
              v.base ? ` — based on ${[v.base].flat().join(', ')}` : null,
            ),
          ),
        ),
      ),
    ),
  );
}

export function depsSection(s: ScriptDetail): HTMLElement {
  return h(
    'section',
    { 'data-testid': 'deps' },
    h('h2', {}, `Dependencies (${s.deps.length})`),
    s.deps.length === 0
      ? h('p', {}, 'None.')
      : h(
          'table',
          {},
          h(
            'thead',
            {},
            h('tr', {}, h('th', {}, 'Tags'), h('th', {}, 'Names'), h('th', {}, 'Conditions')),
          ),
          h(
            'tbody',
            {},
            ...s.deps.map((d) =>
              h(
                'tr',
                { 'data-testid': 'dep' },
                h(
                  'td',
                  {},
                  h(
                    'a',
                    { href: `/scripts?tags=${encodeURIComponent(d.tags)}`, 'data-link': true },
                    d.tags,
                  ),
                ),
                h('td', {}, (d.names ?? []).join(', ')),
                h('td', { class: 'mono' }, d.conditions ? display(d.conditions) : ''),
              ),
            ),
          ),
        ),
  );
}

export function inputsSection(s: ScriptDetail): HTMLElement {
  const inputs = Object.entries(s.input_mapping).sort(([a], [b]) => a.localeCompare(b));
  return h(
    'section',
    { 'data-testid': 'inputs' },
    h('h2', {}, `Inputs (${inputs.length})`),
    inputs.length === 0
      ? h('p', {}, 'None.')
      : h(
          'table',
          {},
          h('thead', {}, h('tr', {}, h('th', {}, 'Flag'), h('th', {}, 'Sets env'))),
          h(
            'tbody',
            {},
            ...inputs.map(([flag, env]) =>
              h(
                'tr',
                { 'data-testid': 'input', 'data-flag': flag },
                h('td', { class: 'mono' }, `--${flag}`),
                h('td', { class: 'mono' }, display(env)),
              ),
            ),
          ),
        ),
    s.new_env_keys.length > 0
      ? h('p', {}, 'Exports env: ', h('span', { class: 'mono' }, s.new_env_keys.join(', ')))
      : null,
  );
}
