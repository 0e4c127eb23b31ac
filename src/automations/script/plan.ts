// The run/plan tree as text: one line per script with what happens to it and why.
import { explainLine } from '../cache/reasons.js';
import type { RunNode } from './run-shared.js';

const STATUS: Record<RunNode['status'], string> = {
  ran: 'ran',
  cached: 'cached',
  'will-run': 'will run',
  'will-reuse': 'cached',
  'fake-run': 'fake run',
  skipped: 'skipped',
  recorded: 'recorded (fake deps)',
  depends: 'depends',
};

function line(n: RunNode): string {
  const parts: string[] = [];
  const name = n.script ?? `"${n.tags}"`;
  parts.push(n.list && n.list !== 'deps' ? `${name} (${n.list})` : name);
  // A dep the plan cannot decide: its reason says on what ("depends on run-time value CM_X").
  let status = n.status === 'depends' && n.reason ? '[' : `[${STATUS[n.status]}`;
  if (n.cache_entry && (n.status === 'will-reuse' || n.status === 'cached'))
    status += `: ${n.cache_entry}`;
  if (n.reason) status += status === '[' ? n.reason : `: ${n.reason}`;
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

/** --explain: one line per node of the tree, what the cache did for it and why. */
export function renderExplain(root: RunNode): string {
  const out: string[] = [];
  const walk = (n: RunNode, depth: number): void => {
    const name = `${'  '.repeat(depth)}${n.script ?? `"${n.tags}"`}`;
    if (n.cache) out.push(explainLine(name, n.cache));
    else if (n.status === 'depends' && n.reason) out.push(`${name}  ${n.reason}`);
    else out.push(`${name}  ${STATUS[n.status]}${n.reason ? `: ${n.reason}` : ''}`);
    for (const d of n.deps) walk(d, depth + 1);
  };
  walk(root, 0);
  return out.join('\n');
}
