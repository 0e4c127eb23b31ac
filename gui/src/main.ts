// The playground's entry: routes, link interception, and the legacy `_graph` URLs of CM
// (`/?action=experiments&name=...`) mapped onto the new pages.
import { replace, h } from './dom.js';
import { addRoute, match, navigate, onNavigate, type Cleanup } from './router.js';
import './style.css';

addRoute('/', () => import('./pages/experiments.js').then((m) => m.experimentsPage));
addRoute('/explore', () => import('./pages/explore.js').then((m) => m.explorePage));
addRoute('/result/:exp/:dir/:uid', () => import('./pages/result.js').then((m) => m.resultPage));
addRoute('/compare', () => import('./pages/compare.js').then((m) => m.comparePage));
addRoute('/views', () => import('./pages/views.js').then((m) => m.viewsPage));
addRoute('/jobs/:id', () => import('./pages/job.js').then((m) => m.jobPage));
addRoute('/scripts', () => import('./pages/scripts.js').then((m) => m.scriptsPage));
addRoute('/scripts/:name', () => import('./pages/script.js').then((m) => m.scriptPage));
addRoute('/cache', () => import('./pages/cache.js').then((m) => m.cachePage));

const root = document.getElementById('app')!;
let cleanup: Cleanup | void;
let generation = 0;

async function render(): Promise<void> {
  const mine = ++generation;
  if (cleanup) cleanup();
  cleanup = undefined;
  const found = match(location.pathname);
  if (!found) {
    replace(root, h('h1', {}, 'Not found'), h('p', {}, `No page at ${location.pathname}`));
    return;
  }
  try {
    const page = await found.entry.page();
    if (mine !== generation) return;
    replace(root);
    root.setAttribute('data-page', location.pathname.split('/')[1] || 'experiments');
    const c = await page(root, {
      params: found.params,
      query: new URLSearchParams(location.search),
    });
    if (mine !== generation) {
      if (c) c();
      return;
    }
    cleanup = c;
  } catch (e) {
    replace(root, h('div', { class: 'error', role: 'alert' }, `CM error: ${(e as Error).message}`));
  }
}

document.addEventListener('click', (ev) => {
  const a = (ev.target as Element | null)?.closest?.('a[data-link]') as HTMLAnchorElement | null;
  if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || a.target === '_blank') return;
  ev.preventDefault();
  navigate(a.getAttribute('href')!);
});
window.addEventListener('popstate', () => void render());
onNavigate(() => void render());
void render();
