// What the page draws when the URL leaves a choice open: CM's defaults (X `Result`, Y
// `Accuracy`, colour `version` when rows have them), else the first numeric keys; the table's
// columns and the parallel axes. The URL keeps only what the user chose.
import type { KeyInfo, ViewState } from '../../../src/core/results/types.js';

/** One parallel-coordinates axis as written in the URL: `time`, `time:flip`, `acc:log:flip`. */
export interface AxisSpec {
  key: string;
  isFlipped: boolean;
  isLog: boolean;
}

export interface EffectiveView {
  x: string | undefined;
  y: string | undefined;
  color: string | undefined;
  axes: AxisSpec[];
  /** Keys offered in selectors and the column chooser (catalogue order, no internal `_` keys). */
  keys: KeyInfo[];
  numericKeys: string[];
}

export function parseAxis(text: string): AxisSpec {
  const spec: AxisSpec = { key: text, isFlipped: false, isLog: false };
  for (;;) {
    const at = spec.key.lastIndexOf(':');
    const flag = at < 0 ? '' : spec.key.slice(at + 1);
    if (flag === 'flip') spec.isFlipped = true;
    else if (flag === 'log') spec.isLog = true;
    else return spec;
    spec.key = spec.key.slice(0, at);
  }
}

export function formatAxis(a: AxisSpec): string {
  return `${a.key}${a.isFlipped ? ':flip' : ''}${a.isLog ? ':log' : ''}`;
}

const MAX_DEFAULT_AXES = 8;

/** The user's choice, else `preferred` when rows have it, else `fallback`. */
function pick(
  chosen: string | undefined,
  preferred: string,
  names: ReadonlySet<string>,
  fallback: string | undefined,
): string | undefined {
  if (chosen) return chosen;
  return names.has(preferred) ? preferred : fallback;
}

export function effectiveView(view: ViewState, catalogue: readonly KeyInfo[]): EffectiveView {
  const keys = catalogue.filter((k) => !k.name.startsWith('_'));
  const names = new Set(keys.map((k) => k.name));
  const numericKeys = keys
    .filter((k) => k.kind === 'number' && k.origin !== 'provenance')
    .map((k) => k.name);
  const x = pick(view.x, 'Result', names, numericKeys[0]);
  const y = pick(
    view.y,
    'Accuracy',
    names,
    numericKeys.find((k) => k !== x),
  );
  // An empty colour is the user's "(none)"; absent takes CM's default.
  const color = view.color === '' ? undefined : pick(view.color, 'version', names, undefined);
  const axes = view.axes
    ? view.axes.map(parseAxis)
    : [
        ...keys.filter((k) => k.origin === 'explored').map((k) => k.name),
        ...numericKeys.filter((k) => keys.find((c) => c.name === k)?.origin !== 'explored'),
      ]
        .slice(0, MAX_DEFAULT_AXES)
        .map((key) => ({ key, isFlipped: false, isLog: false }));
  return { x, y, color, axes, keys, numericKeys };
}
