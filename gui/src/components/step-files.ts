// The files of a result's step folder, each openable in an inline text viewer (GET /api/files;
// text up to 1 MB, gui.md §5.5 item 3). File content is shown as text, never as markup.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { errorBox } from './error-box.js';
import { formatBytes } from './format.js';

const VIEWABLE = 1024 * 1024;

export function stepFiles(id: string, files: Array<{ path: string; size: number }>): HTMLElement {
  const viewer = h('div', { class: 'file-viewer' });
  const open = async (path: string) => {
    replace(viewer, h('p', {}, `Loading ${path}…`));
    try {
      const text = await api.file(id, path);
      replace(
        viewer,
        h('h4', {}, path),
        h('pre', { class: 'file', 'data-testid': 'file-view', 'data-path': path }, text),
      );
    } catch (e) {
      replace(viewer, errorBox(e, 'file-error'));
    }
  };
  const items = files.map((f) =>
    h(
      'li',
      { 'data-testid': 'step-file', 'data-path': f.path },
      f.size <= VIEWABLE
        ? h(
            'button',
            { type: 'button', class: 'linkish', onclick: () => void open(f.path) },
            f.path,
          )
        : h('span', {}, f.path),
      ` (${formatBytes(f.size)}${f.size > VIEWABLE ? ', too large to view here' : ''})`,
    ),
  );
  return h(
    'div',
    { class: 'step-files' },
    h('h3', {}, 'Step files'),
    files.length === 0 ? h('p', {}, 'No step folder for this result.') : h('ul', {}, ...items),
    viewer,
  );
}
