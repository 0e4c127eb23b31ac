// The flags an action declares, as its --help lists them, and the check of the flags a user typed
// against them (did-you-mean included). Pure: the actions' tables live with the actions.
import { nearest } from './did-you-mean.js';
import { CmError } from './errors.js';

/**
 * One row of an action's "Flags:" help: [shown form, meaning]. The shown form is the one source of
 * the input keys the action reads: `-f, --force` → f and force; `--tags=a,b` → tags;
 * `--env.KEY=V` → env; `--md5sum=HEX / --sha256=HEX` → md5sum and sha256; a form that does not
 * start with "-" (`"TAGS _VARIATION"`, `@input.json`) names no key.
 */
export type FlagRow = readonly [shown: string, meaning: string];

/** Flags every command takes: output, verbosity, help (read by the CLI and the reporter). */
export const GLOBAL_FLAGS: readonly FlagRow[] = [
  ['-j, --json', 'print the full result as JSON on stdout'],
  ['--out=json', 'same as --json'],
  ['-s, --silent', 'print only the output (no progress, no info lines)'],
  ['-v, --verbose', 'print debug lines of the run'],
  ['--debug', 'print every debug line, and the stack of an internal error'],
  ['--quiet', 'a script run asks nothing: it takes the first choice'],
  ['--save_to_json=FILE', 'also write the full result to FILE'],
  ['-h, --help', 'this help'],
  ['@input.json|yaml', 'merge keys from a file into the input (its keys are not checked)'],
];

/**
 * Input keys the command line sets without a flag (the words of `cm ACTION AUTOMATION NAME...`,
 * the raw argv, what follows `--`); typed as flags they are taken as they are.
 */
const IMPLICIT_KEYS = ['action', 'automation', 'artifact', 'artifacts', 'cmd', 'unparsed_cmd'];

/** The input keys one shown form names (see FlagRow), as parseArgs spells them (`dry-run` → dry_run). */
export function flagKeys(shown: string): string[] {
  const keys: string[] = [];
  for (const part of shown.split(/\s*[,/|]\s+|\s+[/|]\s*/)) {
    const m = /^--?([A-Za-z0-9][\w-]*)/.exec(part.trim());
    if (m) keys.push(m[1]!.replace(/-/g, '_'));
  }
  return keys;
}

/** Every key the rows name. */
export function rowKeys(rows: readonly FlagRow[]): string[] {
  return rows.flatMap(([shown]) => flagKeys(shown));
}

/** The keys every command accepts: the global flags and the implicit keys. */
export function globalKeys(): string[] {
  return [...rowKeys(GLOBAL_FLAGS), ...IMPLICIT_KEYS];
}

export interface UnknownFlag {
  /** The key as typed (`tag` for `--tag=x`). */
  key: string;
  /** Known keys close to it, best first. */
  near: string[];
}

/** The typed keys that are not known, each with its nearest known keys. */
export function unknownFlags(typed: readonly string[], known: Iterable<string>): UnknownFlag[] {
  const all = new Set(known);
  for (const k of globalKeys()) all.add(k);
  return [...new Set(typed)]
    .filter((k) => !all.has(k))
    .map((key) => ({ key, near: nearest(key, all) }));
}

/** `-j` for a one-letter key, `--tags` otherwise: how --help spells the flag. */
export function flagName(key: string): string {
  return key.length === 1 ? `-${key}` : `--${key}`;
}

/** "did you mean --tags?" / "did you mean one of: --a, --b?", or undefined. */
export function flagDidYouMean(u: UnknownFlag): string | undefined {
  const near = u.near.map(flagName);
  if (near.length === 0) return undefined;
  return near.length === 1
    ? `did you mean ${near[0]}?`
    : `did you mean one of: ${near.join(', ')}?`;
}

/**
 * The error for flags an action does not take. `command` is the command as typed (`cm find
 * dataset`); its --help lists the flags.
 */
export function unknownFlagError(unknown: readonly UnknownFlag[], command: string): CmError {
  const names = unknown.map((u) => flagName(u.key));
  const hints: string[] = [];
  for (const u of unknown) {
    const dym = flagDidYouMean(u);
    if (dym) hints.push(unknown.length === 1 ? dym : `${flagName(u.key)}: ${dym}`);
  }
  if (hints.length < unknown.length)
    hints.push(`run "${command} --help" to see the flags it takes`);
  return new CmError(
    'unknown-flag',
    `unknown flag${names.length > 1 ? 's' : ''} ${names.join(', ')} for ${command}`,
    {
      hint: hints.join('\n'),
      details: { flags: unknown.map((u) => ({ flag: u.key, did_you_mean: u.near })) },
    },
  );
}

/** The warning for a flag that nothing in a script run used. */
export function unusedFlagWarning(u: UnknownFlag): string {
  const dym = flagDidYouMean(u);
  return `${flagName(u.key)} is used by nothing in this run${dym ? ` (${dym})` : ''}`;
}
