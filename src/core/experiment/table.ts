// The result table of `show experiment`: which columns, in which order, which rows first
// (DVC's `exp show` options), and its text, CSV and Markdown renderings.

import { CmError } from '../errors.js';
import { didYouMean } from '../did-you-mean.js';
import { deepEqual } from '../merge.js';
import { numericValue } from './numeric-value.js';

export interface TableOptions {
  /** Columns shown first, in this order (provenance, explored variables); absent ones are skipped. */
  columns?: readonly string[];
  /** Hide columns whose value is the same in every row (a missing value counts as a value). */
  onlyChanged?: boolean;
  /** Columns always shown, even when `drop` or `onlyChanged` would hide them (as in DVC). */
  keep?: RegExp;
  /** Columns hidden. */
  drop?: RegExp;
  /** A result key to order rows by (it need not be shown). */
  sortBy?: string;
  sortOrder?: 'asc' | 'desc';
}

export interface Table {
  columns: string[];
  /** One array per result, a cell per column; undefined where the result lacks the key. */
  rows: unknown[][];
}

/**
 * The columns are the preferred ones, then every other key in alphabetical order, filtered by
 * `drop`, `onlyChanged` and `keep`. Sorting is stable: numbers (and numeric strings) by value
 * before other values (by their text), rows lacking the key always last, whatever the order.
 */
export function buildTable(
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  options: TableOptions = {},
): Table {
  const present = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) present.add(key);
  const preferred = [...new Set(options.columns ?? [])].filter((c) => present.has(c));
  const chosen = new Set(preferred);
  const rest = [...present]
    .filter((c) => !chosen.has(c))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const keep = options.keep && plain(options.keep);
  const drop = options.drop && plain(options.drop);
  const columns = [...preferred, ...rest].filter((c) => {
    if (keep?.test(c)) return true;
    if (drop?.test(c)) return false;
    return !(options.onlyChanged === true && rows.length > 0 && isConstant(rows, c));
  });

  let order = rows.map((_, i) => i);
  if (options.sortBy !== undefined) {
    const key = options.sortBy;
    if (rows.length > 0 && !present.has(key)) {
      throw new CmError('bad-input', `cannot sort by "${key}": no result has that key`, {
        hint: didYouMean(key, present) ?? 'pick a column of the table',
      });
    }
    const sign = options.sortOrder === 'desc' ? -1 : 1;
    order = order.sort((a, b) => compareForSort(rows[a]![key], rows[b]![key], sign));
  }
  return { columns, rows: order.map((i) => columns.map((c) => rows[i]![c])) };
}

/** The same pattern without g/y flags, whose lastIndex would make test() skip matches. */
function plain(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
}

function isConstant(
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  column: string,
): boolean {
  const first = rows[0]!;
  const has = Object.hasOwn(first, column);
  return rows.every((r) => Object.hasOwn(r, column) === has && deepEqual(r[column], first[column]));
}

/** Ascending (sign 1) or descending (sign -1) order, with missing values last in both. */
function compareForSort(a: unknown, b: unknown, sign: number): number {
  const ma = a === undefined || a === null;
  const mb = b === undefined || b === null;
  if (ma || mb) return ma === mb ? 0 : ma ? 1 : -1;
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na !== undefined && nb !== undefined) return sign * (na - nb);
  if (na !== undefined || nb !== undefined) return na !== undefined ? -1 : 1;
  const ta = cellString(a);
  const tb = cellString(b);
  return sign * (ta < tb ? -1 : ta > tb ? 1 : 0);
}

export type TableFormat = 'text' | 'csv' | 'md';

export interface FormatOptions {
  /** text: the widest a cell may be, in characters; longer ones end in "…" (default 40). */
  cellWidth?: number;
}

/**
 * The table as text for a terminal (aligned columns, numbers right-aligned, long cells cut),
 * CSV (RFC 4180 quoting, full number precision) or a GitHub Markdown table. Integers print as
 * they are; other numbers with up to 6 significant digits in text and Markdown. A missing cell
 * is empty, null prints as "null", lists and dicts as JSON. Each line ends with "\n"; widths
 * count code points, so wide (CJK) characters can misalign the text format.
 */
export function formatTable(
  table: Table,
  format: TableFormat,
  options: FormatOptions = {},
): string {
  if (table.columns.length === 0) return '';
  switch (format) {
    case 'text':
      return formatText(table, options.cellWidth ?? 40);
    case 'csv':
      return [table.columns, ...table.rows.map((r) => r.map((v) => cellString(v)))]
        .map((cells) => cells.map(csvField).join(',') + '\n')
        .join('');
    case 'md':
      return formatMarkdown(table);
    default: {
      const never: never = format;
      throw new Error(`unknown table format ${String(never)}`);
    }
  }
}

/** A cell's text: `isShort` rounds non-integers to 6 significant digits. */
function cellString(v: unknown, isShort = false): string {
  if (v === undefined) return '';
  if (typeof v === 'number') {
    if (!isShort || Number.isInteger(v) || !Number.isFinite(v)) return String(v);
    return String(Number(v.toPrecision(6)));
  }
  if (typeof v === 'string') return v;
  if (v === null || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? String(v);
}

/** Columns where every value present is a number are right-aligned. */
function isNumericColumn(table: Table, column: number): boolean {
  const values = table.rows.map((r) => r[column]).filter((v) => v !== undefined && v !== null);
  return values.length > 0 && values.every((v) => typeof v === 'number');
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatText(table: Table, cellWidth: number): string {
  const width = Math.max(2, Math.floor(cellWidth));
  const fit = (text: string): string => {
    const chars = Array.from(text.replace(/[\u0000-\u001f\u007f]/g, ' '));
    return chars.length <= width ? chars.join('') : chars.slice(0, width - 1).join('') + '…';
  };
  const lines = [table.columns, ...table.rows.map((r) => r.map((v) => cellString(v, true)))].map(
    (cells) => cells.map(fit),
  );
  const widths = table.columns.map((_, c) =>
    Math.max(...lines.map((cells) => Array.from(cells[c]!).length)),
  );
  const isRight = table.columns.map((_, c) => isNumericColumn(table, c));
  const pad = (text: string, c: number): string => {
    const gap = ' '.repeat(widths[c]! - Array.from(text).length);
    return isRight[c] ? gap + text : text + gap;
  };
  const rule = widths.map((w) => '-'.repeat(w));
  return [lines[0]!, rule, ...lines.slice(1)]
    .map((cells, i) => (i === 1 ? cells : cells.map(pad)).join('  ').trimEnd() + '\n')
    .join('');
}

function formatMarkdown(table: Table): string {
  const escape = (text: string): string =>
    text.replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, '<br>') || ' ';
  const line = (cells: string[]): string => `| ${cells.map(escape).join(' | ')} |\n`;
  const rule = table.columns.map((_, c) => (isNumericColumn(table, c) ? '---:' : '---'));
  return (
    line(table.columns) +
    `| ${rule.join(' | ')} |\n` +
    table.rows.map((r) => line(r.map((v) => cellString(v, true)))).join('')
  );
}
