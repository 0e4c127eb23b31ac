// The counts above the chart: rows shown, rows the filter and the constraints removed, rows the
// Pareto step left out for lacking an objective (naming which), rows without X or Y, and errors
// that belong to no editor (a selection the server refused).
import type { ResultRow } from '../../../src/core/results/types.js';
import { h, replace } from '../dom.js';
import { describeError } from './controls.js';
import type { ExploreStore } from './explore-store.js';

function rowsWord(n: number): string {
  return n === 1 ? 'row' : 'rows';
}

/** Objective keys some returned row lacks; all objectives when none can be told (frontier only). */
function missingKeys(rows: readonly ResultRow[], keys: readonly string[]): string[] {
  const missing = keys.filter((k) => rows.some((r) => typeof r[k] !== 'number'));
  return missing.length ? missing : [...keys];
}

/** `unplotted`: rows the chart could not place (no X or Y), as of its last drawing. */
export function badges(
  store: ExploreStore,
  unplotted: () => number,
): { el: HTMLElement; render(): void } {
  const el = h('div', { class: 'badges', 'data-testid': 'badges' });
  return {
    el,
    render() {
      const { data, view, errors, isLoading } = store.model;
      const missingXY = unplotted();
      const badge = (testid: string, text: string, kind = ''): HTMLElement =>
        h('span', { class: `badge ${kind}`, 'data-testid': testid }, text);
      const ex = data?.excluded;
      const objectives = view.pareto?.objectives.map((o) => o.key) ?? [];
      const general = errors.filter((e) => e.part === 'selection' || e.part === 'sort');
      replace(
        el,
        isLoading ? badge('badge-loading', 'loading…', 'muted') : null,
        data ? badge('badge-total', `${data.total} ${rowsWord(data.total)}`) : null,
        ex?.filter ? badge('badge-filter', `${ex.filter} excluded by filter`) : null,
        ex?.constraints
          ? badge(
              'badge-constraints',
              `${ex.constraints} violating constraints${view.showViolating ? ' (greyed)' : ''}`,
            )
          : null,
        ex?.paretoMissing
          ? badge(
              'badge-pareto-missing',
              `${ex.paretoMissing} ${rowsWord(ex.paretoMissing)} excluded (missing ${missingKeys(data!.rows, objectives).join(', ')})`,
            )
          : null,
        data?.frontier.length
          ? badge('badge-frontier', `${data.frontier.length} on the frontier`)
          : null,
        missingXY && view.type !== 'table' && view.type !== 'parallel'
          ? badge(
              'badge-unplotted',
              `${missingXY} ${rowsWord(missingXY)} without X or Y not plotted`,
              'muted',
            )
          : null,
        ...general.map((e) =>
          h(
            'div',
            { class: 'error', role: 'alert', 'data-testid': 'error-general' },
            describeError(e),
          ),
        ),
      );
    },
  };
}
