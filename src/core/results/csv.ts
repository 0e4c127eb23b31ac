// Exports of the current view (gui.md §5.5 item 2, GET /api/export.csv|json): the rows as CSV
// with RFC 4180 quoting, or as JSON, over the chosen columns in their order.
import type { ResultRow } from './types.js';

/** A cell's text: empty for a missing value or null, JSON for lists and objects. */
function cellText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** RFC 4180: a field holding a quote, comma, CR or LF is quoted, its quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A header line of `columns`, then one line per row; every line ends with "\n" (as `cm show
 * experiment --csv`), so a file of n rows has n + 1 lines. Numbers keep full precision.
 */
export function toCsv(
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  columns: readonly string[],
): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) {
    lines.push(
      columns.map((c) => csvField(cellText(Object.hasOwn(row, c) ? row[c] : undefined))).join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * The rows as a JSON array (2-space indent, ending in "\n"); with `columns`, each row keeps only
 * those keys, in that order (a key it lacks is left out).
 */
export function toJsonExport(rows: readonly ResultRow[], columns?: readonly string[]): string {
  const out = columns
    ? rows.map((row) => {
        const picked: Record<string, unknown> = {};
        for (const c of columns) if (Object.hasOwn(row, c)) picked[c] = row[c];
        return picked;
      })
    : rows;
  return JSON.stringify(out, null, 2) + '\n';
}
