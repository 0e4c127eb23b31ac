// The reference's command-line grammar: `cm [action] [automation] [artifact...] [--flags]
// [@input.json|yaml] [-- raw args]` → one flat CM input dict. Pure: files are read by a callback.
import { isReservedKey, MAX_DEPTH, RESERVED_KEY_HINT } from './data-limits.js';
import { CmError } from './errors.js';
import { isDict, type Dict } from './merge.js';

/** Reads an `@file` argument (must be .json or .yaml) into a dict. */
export type InputFileReader = (path: string) => Dict;

/** A flag as an error message shows it: a long one is cut short. */
function shown(flag: string): string {
  return flag.length > 80 ? `${flag.slice(0, 77)}...` : flag;
}

/** The key path of a flag: neither deeper than data read from files may be, nor a reserved key. */
function keyPath(key: string, flag: string): string[] {
  const parts = key.split('.', MAX_DEPTH + 1);
  if (parts.length > MAX_DEPTH) {
    throw new CmError('bad-input', `flag ${shown(flag)}: more than ${MAX_DEPTH} nested keys`, {
      hint: 'pass deep data in an @input.json or @input.yaml file instead',
    });
  }
  parts[0] = parts[0]!.replace(/-/g, '_');
  const reserved = parts.find(isReservedKey);
  if (reserved !== undefined) {
    throw new CmError('bad-input', `flag ${shown(flag)}: the key "${reserved}" is not allowed`, {
      hint: RESERVED_KEY_HINT,
    });
  }
  return parts;
}

function setNested(target: Dict, key: string, value: unknown, flag: string): void {
  const path = keyPath(key, flag);
  let cur: Dict = target;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    // Own keys only: an inherited name (toString ...) is no value of the input.
    const next = Object.hasOwn(cur, k) ? cur[k] : undefined;
    if (next === undefined) cur[k] = {};
    else if (!isDict(next)) {
      throw new CmError(
        'bad-input',
        `flag ${shown(flag)}: "${path.slice(0, i + 1).join('.')}" already holds a value, not a set of keys`,
        {
          hint: `use either --${path.slice(0, i + 1).join('.')}=VALUE or --${key}=VALUE, not both`,
        },
      );
    }
    cur = cur[k] as Dict;
  }
  cur[path[path.length - 1]!] = value;
}

/** A command line as CM reads it. */
export interface CommandLine {
  input: Dict;
  /**
   * The top-level keys given as flags (`--tags=x`, `-f`, `--env.K=V` → env), in order: what the
   * user typed, as against keys from @input files and the words of the command.
   */
  flags: string[];
}

export function parseArgs(argv: readonly string[], readFile: InputFileReader): Dict {
  return parseCommandLine(argv, readFile).input;
}

export function parseCommandLine(argv: readonly string[], readFile: InputFileReader): CommandLine {
  const rest = [...argv];
  const input: Dict = {};
  const flags = new Set<string>();
  const isWord = (s: string | undefined): s is string =>
    s !== undefined && s !== '' && !s.startsWith('-') && !s.startsWith('@');
  if (isWord(rest[0])) input['action'] = rest.shift();
  if (isWord(rest[0])) input['automation'] = rest.shift();
  input['cmd'] = [...rest];
  const artifacts: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--') {
      input['unparsed_cmd'] = rest.slice(i + 1);
      break;
    }
    if (arg.startsWith('@') && arg.length > 1) {
      Object.assign(input, readFile(arg.slice(1)));
      continue;
    }
    if (!arg.startsWith('-')) {
      artifacts.push(arg);
      continue;
    }
    // As the reference: split at the first "=", else a trailing "-" means false (checked before
    // the leading dashes go, so a lone "-" or "---" is the key "" = false); then up to two
    // leading dashes are dropped.
    let body = arg;
    let value: unknown = true;
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      value = arg.slice(eq + 1).trim();
      body = arg.slice(0, eq).trim();
    } else if (arg.endsWith('-')) {
      value = false;
      body = arg.slice(0, -1);
    }
    if (body.startsWith('-')) body = body.slice(1);
    if (body.startsWith('-')) body = body.slice(1);
    if (body.endsWith(',')) {
      if (eq < 0) {
        throw new CmError('bad-input', `flag ${arg}: a list flag needs values: --${body}=a,b,c`);
      }
      body = body.slice(0, -1);
      value = (value as string) === '' ? [] : (value as string).split(',').map((v) => v.trim());
    }
    setNested(input, body, value, arg);
    const key = body.split('.', 1)[0]!.replace(/-/g, '_');
    if (key !== '') flags.add(key);
  }
  if (artifacts.length > 0) input['artifact'] = artifacts[0];
  if (artifacts.length > 1) input['artifacts'] = artifacts.slice(1);
  return { input, flags: [...flags] };
}

/**
 * A command line as one string → argv, like the reference's `shlex.split`: words split at
 * whitespace, '...' and "..." quote, a backslash escapes any character outside quotes and only
 * `"` or `\` inside double quotes.
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (ch === '\\' && i + 1 < line.length) {
      const next = line[++i]!;
      word += quote === '"' && next !== '"' && next !== '\\' ? ch + next : next;
      inWord = true;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) {
    throw new CmError('bad-input', `unclosed ${quote} in command line: ${line}`);
  }
  if (inWord) out.push(word);
  return out;
}
