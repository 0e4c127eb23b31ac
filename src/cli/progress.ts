// One line of a progress bar for a TTY: "label [#####-----]  45%  12.0 MB / 26.6 MB  3.1 MB/s  ETA 5s".

export function humanBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

function humanSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ProgressState {
  label: string;
  done: number;
  total?: number | undefined;
  rate?: number | undefined;
  unit?: 'bytes' | 'files' | 'deps' | 'steps' | undefined;
}

/** The bar line (no \r or newline), at most `width` columns. */
export function progressLine(p: ProgressState, width = 80): string {
  const count = (n: number): string =>
    p.unit === 'files' || p.unit === 'deps' || p.unit === 'steps'
      ? `${n} ${p.unit}`
      : humanBytes(n);
  const parts: string[] = [];
  if (p.total !== undefined && p.total > 0) {
    const f = Math.min(1, p.done / p.total);
    const bar = 20;
    const full = Math.round(f * bar);
    parts.push(
      `[${'#'.repeat(full)}${'-'.repeat(bar - full)}]${`${(f * 100).toFixed(0)}%`.padStart(5)}`,
    );
    parts.push(`${count(p.done)} / ${count(p.total)}`);
  } else parts.push(count(p.done));
  if (p.rate !== undefined && p.rate > 0) {
    parts.push(
      p.unit === 'files' || p.unit === 'deps' || p.unit === 'steps'
        ? `${p.rate >= 10 ? p.rate.toFixed(0) : p.rate.toFixed(2)} ${p.unit}/s`
        : `${humanBytes(p.rate)}/s`,
    );
    if (p.total !== undefined && p.total > p.done)
      parts.push(`ETA ${humanSeconds((p.total - p.done) / p.rate)}`);
  }
  const tail = parts.join('  ');
  const room = Math.max(10, width - tail.length - 1);
  const label = p.label.length > room ? `...${p.label.slice(p.label.length - room + 3)}` : p.label;
  return `${label} ${tail}`.slice(0, width);
}
