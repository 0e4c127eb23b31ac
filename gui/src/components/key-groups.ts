// A result's keys as tables grouped by dotted prefix (`mlperf.latency.p90` under `mlperf`): plain
// keys first, then each prefix, then CM's provenance fields. Every value is shown as text.
import type { ResultRow } from '../../../src/core/results/types.js';
import { display, h } from '../dom.js';

const PROVENANCE = new Set([
  '_id',
  'experiment_uid',
  'experiment_alias',
  'experiment_tags',
  'experiment_dir',
  'repo',
  'uid',
  'iso_datetime',
]);

/** Group name → keys, in display order. */
export function groupKeys(keys: string[]): Array<[string, string[]]> {
  const plain: string[] = [];
  const provenance: string[] = [];
  const byPrefix = new Map<string, string[]>();
  for (const k of keys) {
    if (PROVENANCE.has(k)) provenance.push(k);
    else if (k.includes('.') && !k.startsWith('.')) {
      const prefix = k.slice(0, k.indexOf('.'));
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), k]);
    } else plain.push(k);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' });
  const groups: Array<[string, string[]]> = [];
  if (plain.length > 0) groups.push(['Result', plain.sort(byName)]);
  for (const p of [...byPrefix.keys()].sort(byName))
    groups.push([p, byPrefix.get(p)!.sort(byName)]);
  if (provenance.length > 0) groups.push(['Provenance', provenance]);
  return groups;
}

export function keyGroups(row: ResultRow): HTMLElement {
  return h(
    'div',
    { class: 'key-groups', 'data-testid': 'keys' },
    ...groupKeys(Object.keys(row)).map(([name, keys]) =>
      h(
        'details',
        { open: true, 'data-testid': 'key-group', 'data-group': name },
        h('summary', {}, `${name} (${keys.length})`),
        h(
          'table',
          { class: 'keys' },
          h(
            'tbody',
            {},
            ...keys.map((k) =>
              h(
                'tr',
                { 'data-testid': 'key-row', 'data-key': k },
                h('th', {}, k),
                h('td', { 'data-testid': 'key-value' }, display(row[k])),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
