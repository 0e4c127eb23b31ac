// The run/plan tree as text: one line per script with what happens to it and why.
import type { RunNode } from './run.js';

const STATUS: Record<RunNode['status'], string> = {
  ran: 'ran',
  cached: 'cached',
  'will-run': 'will run',
  'will-reuse': 'cached',
  'fake-run': 'fake run',
  skipped: 'skipped',
  recorded: 'recorded (fake deps)',
};

function line(n: RunNode): string {
  const parts: string[] = [];
  const name = n.script ?? `"${n.tags}"`;
  parts.push(n.list && n.list !== 'deps' ? `${name} (${n.list})` : name);
  let status = `[${STATUS[n.status]}`;
  if (n.cache_entry && (n.status === 'will-reuse' || n.status === 'cached'))
    status += `: ${n.cache_entry}`;
  if (n.reason) status += `: ${n.reason}`;
  parts.push(`${status}]`);
  if (n.version) parts.push(`version ${n.version}${n.version_from ? ` (${n.version_from})` : ''}`);
  if (n.variations?.length)
    parts.push(
      n.variations
        .map((v) => `${v.name}${v.from && v.from !== 'explicit' ? ` (${v.from})` : ''}`)
        .join(' '),
    );
  if (n.script && n.tags) parts.push(`tags ${n.tags}`);
  return parts.join('  ');
}

export function renderPlan(root: RunNode): string {
  const out: string[] = [line(root)];
  const walk = (n: RunNode, prefix: string): void => {
    n.deps.forEach((d, i) => {
      const last = i === n.deps.length - 1;
      out.push(`${prefix}${last ? '└─ ' : '├─ '}${line(d)}`);
      walk(d, prefix + (last ? '   ' : '│  '));
    });
  };
  walk(root, '');
  return out.join('\n');
}
