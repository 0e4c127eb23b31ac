// Client-side routes of the playground (gui.md §5.5): path patterns to page modules. A page
// renders into the main element and may return a function that stops what it started.
export interface Route {
  /** Named path segments (`:exp` → params.exp). */
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Cleanup = () => void;
export type Page = (root: HTMLElement, route: Route) => Cleanup | void | Promise<Cleanup | void>;

interface Entry {
  pattern: string[];
  page: () => Promise<Page>;
}

const table: Entry[] = [];

export function addRoute(path: string, page: () => Promise<Page>): void {
  table.push({ pattern: path.split('/').filter(Boolean), page });
}

export function match(
  pathname: string,
): { entry: Entry; params: Record<string, string> } | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  for (const entry of table) {
    if (entry.pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = entry.pattern.every((p, i) => {
      if (p.startsWith(':')) {
        params[p.slice(1)] = parts[i]!;
        return true;
      }
      return p === parts[i];
    });
    if (ok) return { entry, params };
  }
  return undefined;
}

type Listener = () => void;
const listeners: Listener[] = [];

export function onNavigate(l: Listener): void {
  listeners.push(l);
}

/** Goes to `url` (path and query) without reloading; `replace` keeps the history entry. */
export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const l of listeners) l();
}

/** Updates the query string in place (the explore page's state), without re-rendering. */
export function setQuery(params: URLSearchParams): void {
  const q = params.toString();
  history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}`);
}
