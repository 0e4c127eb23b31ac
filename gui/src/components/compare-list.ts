// The results picked for the compare page ("Add to compare"), kept for the tab's session.
const KEY = 'cm-compare';

export function compareIds(): string[] {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return [];
  const ids: unknown = JSON.parse(raw);
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}

/** Adds `id` (once); returns the list. */
export function addToCompare(id: string): string[] {
  const ids = compareIds();
  if (!ids.includes(id)) ids.push(id);
  sessionStorage.setItem(KEY, JSON.stringify(ids));
  return ids;
}

export function setCompareIds(ids: string[]): void {
  sessionStorage.setItem(KEY, JSON.stringify(ids));
}

export function compareUrl(ids: string[]): string {
  return `/compare?ids=${ids.map((id) => encodeURIComponent(id).replace(/%2F/g, '/')).join(',')}`;
}
