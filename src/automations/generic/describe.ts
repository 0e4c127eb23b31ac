// The help text of one action (cm ACTION AUTOMATION --help).
import { GLOBAL_FLAGS } from '../../core/flags.js';
import type { Dict } from '../../core/merge.js';
import type { ActionSpec, AutomationHandle } from '../action.js';

const ALIASES: Record<string, string> = {
  search: 'find, ls, list',
  delete: 'rm, remove',
  move: 'mv, ren, rename',
  copy: 'cp',
};

const MAX_FLAG_WIDTH = 32;

export function describeAction(name: string, spec: ActionSpec, automation: AutomationHandle): Dict {
  return {
    action: name,
    aliases: ALIASES[name]?.split(', ') ?? [],
    summary: spec.summary,
    usage: (spec.usage ?? `cm ${name} AUTOMATION`).replace('AUTOMATION', automation.alias),
    flags: Object.fromEntries(spec.flags ?? []),
  };
}

export function actionHelpText(
  name: string,
  spec: ActionSpec,
  automation: AutomationHandle,
): string {
  const d = describeAction(name, spec, automation);
  const lines = [`${d['usage']}`, '', `  ${spec.summary}`];
  const aliases = d['aliases'] as string[];
  if (aliases.length) lines.push(`  aliases: ${aliases.join(', ')}`);
  const flags = spec.flags ?? [];
  const all = [...flags, ...GLOBAL_FLAGS];
  // A long shown form gets its meaning on the next line rather than widening every row.
  const width = Math.min(Math.max(...all.map(([f]) => f.length)), MAX_FLAG_WIDTH);
  const row = ([f, m]: readonly [string, string]): string =>
    f.length > width ? `  ${f}\n  ${' '.repeat(width)}  ${m}` : `  ${f.padEnd(width)}  ${m}`;
  lines.push('', 'Flags:', ...flags.map(row));
  if (spec.flags === undefined) lines.push('  any: the action reads the flags it wants');
  else if (flags.length === 0) lines.push('  none besides those of every command');
  lines.push('', 'Flags of every command:', ...GLOBAL_FLAGS.map(row));
  return lines.join('\n');
}
