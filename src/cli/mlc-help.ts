// The help of `mlc`, laid out as mlcflow's: the general help (actions and targets), the help of one
// target (its actions, how to name what it acts on) and the help of one action of a target.
import { MLC_TARGETS, type MlcAction, type MlcTarget } from './mlc-targets.js';

export const MLC_USAGE = 'mlc ACTION TARGET [DETAILS] [--flags] [@input.json|@input.yaml]';

function actionName(a: MlcAction): string {
  return a.aliases.length ? `${a.name} (${a.aliases.join(', ')})` : a.name;
}

/** `mlc` alone: how to use it. */
export function mlcUsage(): string {
  return `usage: ${MLC_USAGE}\n(mlc --help lists the actions and targets)`;
}

export function mlcGeneralHelp(): string {
  const rows = MLC_TARGETS.map(
    (t) => `  ${t.name.padEnd(11)} ${t.actions.map(actionName).join(', ')}`,
  );
  return [
    'mlc: the command line of mlcflow, run by CM (each mlc command is a cm command underneath)',
    '',
    `usage: ${MLC_USAGE}`,
    '',
    'The action says what to do; the target is what it acts on (a CM automation). DETAILS names',
    'it: for scripts and caches a word with commas or spaces is tags (detect,os or "detect os").',
    '',
    'Targets and their actions:',
    ...rows,
    '',
    'Shortcuts:',
    '  mlcr TAGS [--flags]      mlc run script TAGS',
    '  mlce TAGS [--flags]      mlc experiment script TAGS (cm run experiment)',
    '',
    'Examples:',
    '  mlc pull repo mlcommons@mlperf-automations',
    '  mlc find script --tags=detect,os',
    '  mlc run script detect,os -j',
    '',
    'Help on one target:                mlc TARGET --help          (mlc script --help, mlc help repo)',
    'Help on one action of a target:    mlc ACTION TARGET --help   (mlc run script --help, mlc pull repo -h)',
    'Help on one script:                mlc run script TAGS --help',
    '',
    'Other CM actions and automations work as in cm: mlc load script detect-os, mlc info script',
    'detect-os (cm help lists them). mlc version prints the version; -j prints JSON; -s is silent.',
  ].join('\n');
}

/** Words of `text` on lines of at most `width` characters, the later ones indented by 2. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

function banner(title: string): string {
  return `${'='.repeat(4)} ${title} ${'='.repeat(Math.max(4, 96 - title.length))}`;
}

function actionSection(t: MlcTarget, a: MlcAction): string[] {
  const lines = [
    banner(`${t.name}: ${actionName(a)}`),
    '',
    `  ${a.summary}`,
    '',
    'Usage:',
    `  ${a.usage}`,
    '',
    a.examples.length > 1 ? 'Examples:' : 'Example:',
    ...a.examples.map((e) => `  ${e}`),
  ];
  if (a.note) lines.push('', ...wrap(`Note: ${a.note}`, 96));
  lines.push('', `Underneath this is: cm ${a.cm} ${a.automation ?? t.name}`, '');
  return lines;
}

function targetHeader(t: MlcTarget): string[] {
  const width = Math.max(...t.actions.map((a) => actionName(a).length));
  return [
    banner(`target ${t.name}`),
    '',
    `  ${t.about}`,
    '',
    'Actions:',
    ...t.actions.map((a) => `  ${actionName(a).padEnd(width)}  ${a.summary}`),
    '',
    `Naming a ${t.name}:`,
    ...t.identify.map((l) => `  ${l}`),
    '',
  ];
}

/** `mlc TARGET --help`, `mlc help TARGET`: the target, then each of its actions. */
export function mlcTargetHelp(t: MlcTarget): string {
  const lines = targetHeader(t);
  for (const a of t.actions) lines.push(...actionSection(t, a));
  lines.push(`Flags of one action: mlc ACTION ${t.name} --help`);
  return lines.join('\n');
}

/** `mlc ACTION TARGET --help`: the target, the action, then CM prints the action's flags. */
export function mlcActionHelp(t: MlcTarget, a: MlcAction): string {
  return [...targetHeader(t), ...actionSection(t, a)].join('\n');
}

/** `mlc ACTION --help`: the targets that have this action. */
export function mlcActionOverview(word: string): string | undefined {
  const found = MLC_TARGETS.flatMap((t) =>
    t.actions
      .filter((a) => a.name === word || a.aliases.includes(word))
      .map((a) => `  mlc ${word} ${t.name.padEnd(11)} ${a.summary}`),
  );
  if (found.length === 0) return undefined;
  return [
    `mlc ${word} TARGET ...`,
    '',
    ...found,
    '',
    `Help on one: mlc ${word} TARGET --help`,
  ].join('\n');
}
