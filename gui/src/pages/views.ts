// Placeholder until the page lands: says so on screen.
import { h } from '../dom.js';
import type { Page } from '../router.js';

export const viewsPage: Page = (root) => {
  root.append(h('p', {}, 'This page is not built yet.'));
};
