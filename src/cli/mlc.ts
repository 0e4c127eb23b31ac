// mlcflow's command lines read as CM's: `mlc ACTION TARGET [DETAILS] [--flags]`, `mlcr TAGS` and
// `mlce TAGS`. Pure: argv in, the cm argv (or a help text) out; main.ts runs it.
import { CmError } from '../core/errors.js';
import { isUid } from '../core/uid.js';
import {
  mlcActionHelp,
  mlcActionOverview,
  mlcGeneralHelp,
  mlcTargetHelp,
  mlcUsage,
} from './mlc-help.js';
import { findMlcAction, findTarget, MLC_TARGETS, type MlcAction } from './mlc-targets.js';

/** What an mlc command line asks for: a cm command (after a help text of mlc's own), or a text. */
export type MlcCommand =
  { kind: 'cm'; argv: string[]; preface?: string } | { kind: 'text'; text: string };

const isWord = (a: string): boolean => a !== '' && !a.startsWith('-') && !a.startsWith('@');

/** The index of the first word (not a flag, not an @input file) before `--`, or -1. */
function firstWord(argv: readonly string[]): number {
  const end = argv.indexOf('--');
  return argv.findIndex((a, k) => (end < 0 || k < end) && isWord(a));
}

function hasFlag(argv: readonly string[], ...flags: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => flags.includes(a));
}

const hasTagsFlag = (argv: readonly string[]): boolean =>
  argv.some((a) => a.startsWith('--tags=') || a.startsWith('-tags='));

/** A uid, or ALIAS,UID: a name however it is written. */
function isIdentifier(word: string): boolean {
  const parts = word.split(',');
  return (parts.length === 1 && isUid(word)) || (parts.length === 2 && isUid(parts[1]!));
}

/**
 * The first word as mlcflow reads it: `--tags=...` when it is tags. A word with commas or spaces
 * is tags (`detect,os`, `"detect os"`); a plain word too when `isPlainWordTags` (`mlcr detect-os`);
 * a uid or ALIAS,UID never. With a --tags flag the word stays a name.
 */
export function detailsAsTags(argv: readonly string[], isPlainWordTags: boolean): string[] {
  const i = firstWord(argv);
  if (i < 0 || hasTagsFlag(argv)) return [...argv];
  const word = argv[i]!.trim();
  if (isIdentifier(word) || (!isPlainWordTags && !/[\s,]/.test(word))) return [...argv];
  const tags = word
    .split(/[\s,]+/)
    .filter(Boolean)
    .join(',');
  return [...argv.slice(0, i), `--tags=${tags}`, ...argv.slice(i + 1)];
}

/** `mlcr TAGS ...`: the first word is the script's tags (`mlcr get,python3,_venv`, `mlcr "get python3"`). */
export function mlcrArgs(argv: readonly string[]): string[] {
  return detailsAsTags(argv, true);
}

/** mlcflow's flags with another CM name (`--tag=v1` → `--checkout=v1`, `--shallow` → `--depth=1`). */
function mapFlags(argv: readonly string[], map: Readonly<Record<string, string>>): string[] {
  const end = argv.indexOf('--');
  return argv.map((a, k) => {
    if ((end >= 0 && k >= end) || !a.startsWith('--')) return a;
    const eq = a.indexOf('=');
    const key = a.slice(2, eq < 0 ? undefined : eq);
    const to = map[key];
    if (to === undefined) return a;
    return to.includes('=') ? `--${to}` : `--${to}${eq < 0 ? '' : a.slice(eq)}`;
  });
}

const targetNames = MLC_TARGETS.map((t) => t.name).join(', ');

/** `mlc ACTION` alone: its overview when help is asked, else an error naming the targets. */
function missingTarget(action: string, argv: readonly string[]): MlcCommand {
  const overview = mlcActionOverview(action);
  if (hasFlag(argv, '--help', '-h') && overview !== undefined)
    return { kind: 'text', text: overview };
  throw new CmError('automation-not-specified', `mlc ${action}: the target is missing`, {
    hint: `usage: mlc ${action} TARGET ...; targets: ${targetNames} (mlc --help lists their actions)`,
  });
}

/** `mlc help [TARGET [DETAILS]]`. */
function helpCommand(rest: readonly string[]): MlcCommand {
  const i = firstWord(rest);
  if (i < 0) return { kind: 'text', text: mlcGeneralHelp() };
  const target = findTarget(rest[i]!);
  const after = [...rest.slice(0, i), ...rest.slice(i + 1)];
  if (target === undefined) return { kind: 'cm', argv: ['help', ...rest] };
  if (firstWord(after) < 0 && !hasTagsFlag(after))
    return { kind: 'text', text: mlcTargetHelp(target) };
  const isTagged = target.name === 'script' || target.name === 'cache';
  return {
    kind: 'cm',
    argv: ['help', target.name, ...(isTagged ? detailsAsTags(after, false) : after)],
  };
}

/** Reads one `mlc` command line (argv without the program name). */
export function mlcCommand(argv: readonly string[]): MlcCommand {
  const [first, second] = argv;
  if (first === 'version' || first === '--version' || first === '-V')
    return { kind: 'cm', argv: ['version', ...argv.slice(1)] };
  if (first === undefined) return { kind: 'text', text: mlcUsage() };
  if (!isWord(first)) return { kind: 'text', text: mlcGeneralHelp() };
  if (first === 'help') return helpCommand(argv.slice(1));
  const wantsHelp = hasFlag(argv, '--help', '-h');
  const asTarget = findTarget(first);
  if (asTarget !== undefined && (second === undefined || !isWord(second)))
    return { kind: 'text', text: mlcTargetHelp(asTarget) };
  // mlcflow reindexes everything whatever the target; so does `cm reindex repo`.
  if (first === 'reindex') return { kind: 'cm', argv: ['reindex', 'repo', ...argv.slice(2)] };
  if (second === undefined || !isWord(second)) return missingTarget(first, argv);

  let rest = argv.slice(2);
  const target = findTarget(second);
  const action: MlcAction | undefined = target && findMlcAction(target, first);
  const automation = action?.automation ?? target?.name ?? second;
  const cmAction = action?.cm ?? first;
  if (target !== undefined && action !== undefined) {
    const named = firstWord(rest) >= 0 || hasTagsFlag(rest);
    if (wantsHelp && !named)
      return {
        kind: 'cm',
        argv: [cmAction, automation, ...rest],
        preface: mlcActionHelp(target, action),
      };
    if (target.name === 'script' || target.name === 'cache')
      rest = detailsAsTags(rest, target.name === 'cache' || action.isDetailsTags === true);
    if (action.flagMap) rest = mapFlags(rest, action.flagMap);
  }
  return { kind: 'cm', argv: [cmAction, automation, ...rest] };
}

/** `mlce TAGS ...`: mlcflow's `mlc experiment script TAGS`, which is CM's `cm run experiment`. */
export function mlceArgs(argv: readonly string[]): string[] {
  return ['run', 'experiment', ...detailsAsTags(argv, true)];
}
