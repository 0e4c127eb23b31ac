// "Export CSV" / "Export JSON" of what the table shows (gui.md §5.5 item 2): its columns in its
// order and its rows, written in the browser by the same code as GET /api/export.csv.
import type { ResultRow } from '../../../src/core/results/types.js';
import { toCsv, toJsonExport } from '../../../src/core/results/csv.js';

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportCsv(rows: readonly ResultRow[], columns: readonly string[]): void {
  download('cm-results.csv', toCsv(rows, columns), 'text/csv');
}

export function exportJson(rows: readonly ResultRow[], columns: readonly string[]): void {
  download('cm-results.json', toJsonExport(rows, columns), 'application/json');
}
