// One script of the catalog: where it lives, a command builder over its variations, its
// variations by group, deps, inputs, default version and docs.
import { api } from '../api.js';
import { errorBox } from '../components/error-box.js';
import { scriptCommand } from '../components/script-command.js';
import { depsSection, inputsSection, variationsSection } from '../components/script-meta.js';
import { append, h } from '../dom.js';
import type { Page } from '../router.js';

export const scriptPage: Page = async (root, { params }) => {
  const name = params['name'] ?? '';
  let s;
  try {
    s = await api.script(name);
  } catch (e) {
    root.append(h('h1', {}, `Script ${name}`), errorBox(e));
    return;
  }
  append(root, [
    h('h1', { 'data-testid': 'script-title' }, s.alias || s.uid),
    h(
      'dl',
      { class: 'script-facts' },
      h('dt', {}, 'UID'),
      h('dd', { class: 'mono' }, s.uid),
      h('dt', {}, 'Tags'),
      h('dd', { 'data-testid': 'script-tags' }, s.tags.join(', ')),
      h('dt', {}, 'Repo'),
      h('dd', {}, s.repo),
      h('dt', {}, 'Path'),
      h('dd', { class: 'mono' }, s.path),
      h('dt', {}, 'Default version'),
      h('dd', { 'data-testid': 'default-version' }, s.default_version ?? '(none)'),
      h('dt', {}, 'Versions'),
      h('dd', { 'data-testid': 'versions' }, s.versions?.length ? s.versions.join(', ') : '(any)'),
    ),
    scriptCommand(s),
    variationsSection(s),
    depsSection(s),
    inputsSection(s),
    s.docs
      ? h(
          'section',
          {},
          h('h2', {}, 'Docs'),
          h('pre', { class: 'docs', 'data-testid': 'docs' }, s.docs),
        )
      : null,
  ]);
};
