// The help text of one action (cm ACTION AUTOMATION --help).
import type { Dict } from '../../core/merge.js';
import type { ActionSpec, AutomationHandle } from '../action.js';

const ALIASES: Record<string, string> = {
  search: 'find, ls, list',
  delete: 'rm, remove',
  move: 'mv, ren, rename',
  copy: 'cp',
};

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
  const common: Array<readonly [string, string]> = [
    ['-j, --json', 'print the full result as JSON on stdout'],
    ['--out=json', 'same as --json'],
    ['@input.json|yaml', 'merge keys from a file into the input'],
  ];
  const all = [...flags, ...common];
  const width = Math.max(...all.map(([f]) => f.length));
  lines.push('', 'Flags:', ...all.map(([f, m]) => `  ${f.padEnd(width)}  ${m}`));
  return lines.join('\n');
}
