// How a row's values become marks (gui.md §1.3 item 11): colour and symbol keys map their
// distinct values, in first-seen order, onto the Tableau palette and CM's symbol list (the last
// entry reused when they run out); the size key scales linearly between two radii.
import { display } from '../dom.js';

/** matplotlib's Tableau colours (tab:blue ... tab:cyan), as CM's `_graph` page uses. */
export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;
export const DEFAULT_COLOR = PALETTE[0];
export const GREY = '#c8c8c8';

/** A closed polygon as an ECharts path symbol (ECharts scales it to the symbol's size). */
function polygon(points: Array<[number, number]>): string {
  return points.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(2)},${y.toFixed(2)}`).join('');
}

/** A regular polygon around (5, 5) with `tips` corners at radius 5, or a star when `inner`
 * (the radius of the corners between the tips) is given. */
function star(tips: number, inner?: number): string {
  const corners = inner === undefined ? tips : tips * 2;
  const pts: Array<[number, number]> = [];
  for (let k = 0; k < corners; k++) {
    const r = inner !== undefined && k % 2 === 1 ? inner : 5;
    const a = -Math.PI / 2 + (2 * Math.PI * k) / corners;
    pts.push([5 + r * Math.cos(a), 5 + r * Math.sin(a)]);
  }
  return polygon(pts) + 'Z';
}

/** A bar of width 1.2 through (5, 5) at `deg` degrees, 10 long. */
function bar(deg: number, cx = 5, cy = 5): string {
  const a = (deg * Math.PI) / 180;
  const [dx, dy] = [5 * Math.cos(a), 5 * Math.sin(a)];
  const [nx, ny] = [0.6 * -Math.sin(a), 0.6 * Math.cos(a)];
  return (
    polygon([
      [cx - dx + nx, cy - dy + ny],
      [cx + dx + nx, cy + dy + ny],
      [cx + dx - nx, cy + dy - ny],
      [cx - dx - nx, cy - dy - ny],
    ]) + 'Z'
  );
}

/** CM's symbol order: circle, square, diamond, cross, x, triangle, pentagon, hexagram, star,
 * hourglass, bowtie, asterisk, hash. */
export const SYMBOLS: readonly string[] = [
  'circle',
  'rect',
  'diamond',
  'path://M3.5,0H6.5V3.5H10V6.5H6.5V10H3.5V6.5H0V3.5H3.5Z',
  'path://M1.5,0L5,3.5L8.5,0L10,1.5L6.5,5L10,8.5L8.5,10L5,6.5L1.5,10L0,8.5L3.5,5L0,1.5Z',
  'triangle',
  `path://${star(5)}`,
  `path://${star(6, 2.9)}`,
  `path://${star(5, 2)}`,
  'path://M0,0L10,0L0,10L10,10Z',
  'path://M0,0L0,10L10,0L10,10Z',
  `path://${bar(0)}${bar(45)}${bar(90)}${bar(135)}`,
  `path://${bar(90, 3.5)}${bar(90, 6.5)}${bar(0, 5, 3.5)}${bar(0, 5, 6.5)}`,
];

/** Distinct values of `key` over `rows`, first seen first; the label each shows as. */
export interface Categories {
  labels: string[];
  indexOf(value: unknown): number;
}

/** How a missing value shows in legends and tooltips. */
export const NONE_LABEL = '(none)';

export function labelOf(value: unknown): string {
  return value === null || value === undefined || value === '' ? NONE_LABEL : display(value);
}

export function categories(values: Iterable<unknown>): Categories {
  const index = new Map<string, number>();
  for (const v of values) {
    const label = labelOf(v);
    if (!index.has(label)) index.set(label, index.size);
  }
  return { labels: [...index.keys()], indexOf: (v) => index.get(labelOf(v)) ?? 0 };
}

export function colorAt(i: number): string {
  return PALETTE[Math.min(i, PALETTE.length - 1)]!;
}

export function symbolAt(i: number): string {
  return SYMBOLS[Math.min(i, SYMBOLS.length - 1)]!;
}

/** Symbol size in pixels for a size-key value: 6 to 24 between the key's min and max. */
export function sizeScale(values: Iterable<unknown>): (v: unknown) => number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values)
    if (typeof v === 'number' && Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || !(max > min)) return 10;
    return 6 + (18 * (v - min)) / (max - min);
  };
}
