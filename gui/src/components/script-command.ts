// The command builder of a script's page (after CM's `gui` script page, gui.md §2): a select per
// variation group, a checkbox per free variation, "Use Docker", and the resulting copyable command.
import type { ScriptDetail, ScriptVariation } from '../api.js';
import { h } from '../dom.js';
import { copyButton } from './copy-button.js';

/** Variations by group; `''` holds those of no group. Wildcard variations (`name.#`) are left out. */
export function variationGroups(vs: ScriptVariation[]): Map<string, ScriptVariation[]> {
  const groups = new Map<string, ScriptVariation[]>();
  for (const v of vs) {
    const g = v.group ?? '';
    groups.set(g, [...(groups.get(g) ?? []), v]);
  }
  return groups;
}

export function scriptCommand(s: ScriptDetail): HTMLElement {
  const chosen = new Map<string, string>();
  const flags = new Set<string>();
  const docker = h('input', { type: 'checkbox', 'data-testid': 'use-docker' });
  const out = h('pre', { class: 'command', 'data-testid': 'script-command' });
  const update = () => {
    const vars = [...[...chosen.values()].filter(Boolean), ...[...flags].sort()].map(
      (v) => `_${v}`,
    );
    const verb = docker.checked ? 'cm docker script' : 'cm run script';
    out.textContent = `${verb} --tags=${[...s.tags, ...vars].join(',')}`;
  };
  const controls: HTMLElement[] = [];
  for (const [group, vs] of variationGroups(s.variations.filter((v) => !v.name.includes('#')))) {
    if (group === '') {
      for (const v of vs) {
        const box = h('input', {
          type: 'checkbox',
          'data-variation': v.name,
          onchange: () => {
            if (box.checked) flags.add(v.name);
            else flags.delete(v.name);
            update();
          },
        });
        controls.push(h('label', { class: 'variation' }, box, ` _${v.name}`));
      }
      continue;
    }
    const select = h(
      'select',
      {
        'data-group': group,
        onchange: () => {
          chosen.set(group, select.value);
          update();
        },
      },
      h('option', { value: '' }, '(default)'),
      ...vs.map((v) =>
        h('option', { value: v.name }, `_${v.name}${v.isDefault ? ' (default)' : ''}`),
      ),
    );
    controls.push(h('label', { class: 'variation' }, `${group}: `, select));
  }
  docker.addEventListener('change', update);
  update();
  return h(
    'section',
    { class: 'script-command' },
    h('h2', {}, 'Run it'),
    h('div', { class: 'variations-pick' }, ...controls),
    h('label', {}, docker, ' Use Docker'),
    out,
    copyButton('Copy command', () => out.textContent ?? '', 'copy-script-command'),
  );
}
