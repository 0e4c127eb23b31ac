// `cm help <automation>`: what the automation is and the actions it offers.
import type { Dict } from '../../core/merge.js';
import type { ActionSpec } from '../action.js';
import { describeAction } from './describe.js';

export const help: ActionSpec = {
  summary: 'list the actions of an automation (or describe one: cm ACTION AUTOMATION --help)',
  usage: 'cm help AUTOMATION',
  flags: [],
  run(input, ctx, automation) {
    const table = automation.actions ?? {};
    const desc = typeof automation.meta['desc'] === 'string' ? automation.meta['desc'] : '';
    const lines = [
      `Automation "${automation.alias}" (uid ${automation.uid})${desc ? `: ${desc}` : ''}`,
    ];
    if (automation.entry) lines.push(`Path: ${automation.entry.path}`);
    lines.push('', 'Actions:');
    const width = Math.max(...Object.keys(table).map((k) => k.length));
    for (const [name, spec] of Object.entries(table).sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${name.padEnd(width)}  ${spec.summary}`);
    }
    lines.push('', `Details of one action: cm ACTION ${automation.alias} --help`);
    ctx.emit({ type: 'output', text: lines.join('\n') });
    const actions: Dict = {};
    for (const [name, spec] of Object.entries(table))
      actions[name] = describeAction(name, spec, automation);
    return { automation: { alias: automation.alias, uid: automation.uid }, actions };
  },
};
