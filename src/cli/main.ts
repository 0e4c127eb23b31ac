// The `cm`, `cmr`, `cme` commands and mlcflow's `mlc`, `mlcr`, `mlce`: argv → input dict → access()
// → output and exit code.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseCommandLine } from '../core/argv.js';
import type { Dict } from '../core/merge.js';
import { SecretMask } from '../core/secrets.js';
import { readInputFile } from '../db/meta-file.js';
import { writeFileAtomic } from '../db/atomic-file.js';
import { createCm, errorResult } from '../index.js';
import { createReporter, safeJson } from './reporter.js';
import { importModule } from '../automations/import-module.js';
import { generalHelp, USAGE } from './help.js';
import { mlceArgs, mlcCommand, mlcrArgs, type MlcCommand } from './mlc.js';

export type Front = 'cm' | 'cmr' | 'cme' | 'cmg' | 'mlc' | 'mlcr' | 'mlce';

async function confirmOnTty(question: string): Promise<boolean> {
  return /^y(es)?$/i.test(await askOnTty(`${question} (y/N): `));
}

async function askOnTty(question: string): Promise<string> {
  const { createInterface } = (await importModule(
    'node:readline',
  )) as typeof import('node:readline');
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer.trim());
    });
  });
}

/** Writes to fd 1 or 2; `failure` is the error that stopped the output (a full disk ...). */
interface FdWriter {
  (s: string): void;
  failure?: NodeJS.ErrnoException;
}

/** UTF-16 units of text encoded at a time: at most 3 bytes each in UTF-8. */
const CHUNK_UNITS = 16 * 1024;

/**
 * Output to fd 1 or 2 with a plain write: creating process.stdout/stderr (streams, tty, net) costs
 * about 6 ms per command. Text is encoded a slice at a time into one buffer made once, so that
 * printing 10,000 paths needs no copy of them all. If the fd is non-blocking and full (EAGAIN)
 * the rest goes through the stream; a closed pipe (EPIPE: `cm ls | head`) ends the output
 * quietly; any other failure (ENOSPC: `cm ... > /dev/full`) ends it and is kept in `failure` for
 * the exit status.
 */
function fdWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): FdWriter {
  let mode: 'fd' | 'stream' | 'closed' = 'fd';
  let chunk: Buffer | undefined;
  /** Write all of `buf`; false when the output ended or went to the stream (given a copy). */
  const writeAll = (buf: Buffer): boolean => {
    while (buf.length > 0) {
      try {
        buf = buf.subarray(writeSync(fd, buf));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          mode = 'closed';
          return false;
        }
        if (code !== 'EAGAIN') {
          mode = 'closed';
          write.failure = e as NodeJS.ErrnoException;
          return false;
        }
        mode = 'stream';
        stream().write(Buffer.from(buf));
        return false;
      }
    }
    return true;
  };
  const rest = (s: string): void => {
    if (mode === 'stream') stream().write(s);
  };
  const write: FdWriter = (s) => {
    if (mode === 'closed') return;
    if (mode === 'stream') {
      stream().write(s);
      return;
    }
    chunk ??= Buffer.allocUnsafe(CHUNK_UNITS * 3);
    for (let at = 0; at < s.length;) {
      let end = Math.min(s.length, at + CHUNK_UNITS);
      // Not between the two halves of a surrogate pair.
      const last = s.charCodeAt(end - 1);
      if (end < s.length && last >= 0xd800 && last <= 0xdbff) end--;
      const bytes = chunk.write(s.slice(at, end), 0, 'utf8');
      at = end;
      if (!writeAll(chunk.subarray(0, bytes))) {
        if (at < s.length) rest(s.slice(at));
        return;
      }
    }
  };
  return write;
}

/** The exit status once the output is written: a failed stdout turns success into an error. */
function finalStatus(code: number, stdout: FdWriter, stderr: FdWriter): number {
  const f = stdout.failure;
  if (f === undefined) return code;
  stderr(
    `CM error: could not write the output to stdout: ${f.message}\n` +
      '  hint: check the disk or the file that stdout goes to, then run the command again\n',
  );
  return code === 0 ? 1 : code;
}

/** The cm argv of a command typed as `front` (or an mlc help text, or an error reading it). */
function frontCommand(argv: readonly string[], front: Front): MlcCommand {
  switch (front) {
    case 'cm':
      return { kind: 'cm', argv: [...argv] };
    case 'cmr':
      return { kind: 'cm', argv: ['run', 'script', ...argv] };
    case 'cme':
      return { kind: 'cm', argv: ['run', 'experiment', ...argv] };
    case 'cmg':
      return { kind: 'cm', argv: ['gui', ...argv] };
    case 'mlc':
      return mlcCommand(argv);
    case 'mlcr':
      return { kind: 'cm', argv: ['run', 'script', ...mlcrArgs(argv)] };
    case 'mlce':
      return { kind: 'cm', argv: mlceArgs(argv) };
    default: {
      const never: never = front;
      throw new Error(`unknown front ${String(never)}`);
    }
  }
}

/**
 * Commands with their own flags, outside `cm ACTION AUTOMATION` (each loaded only when typed):
 * the team server, lockfile diffs, offline bundles, the Artifact Appendix. Undefined: none of them.
 */
async function ownCommand(
  argvIn: readonly string[],
  io: { stdout: FdWriter; stderr: FdWriter; env: NodeJS.ProcessEnv },
): Promise<number | undefined> {
  const { stdout, stderr, env } = io;
  // The team server: its own flags, and hono/pg loaded only here.
  if (argvIn[0] === 'serve') {
    const { serveCommand } = await import('./serve-command.js');
    return serveCommand(argvIn.slice(1), { stdout, stderr, env });
  }
  // Run lockfiles: cm lock diff A B.
  if (argvIn[0] === 'lock') {
    const { lockCommand } = await import('./lock-command.js');
    return lockCommand(argvIn.slice(1), { stdout, stderr });
  }
  // Offline bundles of a locked run: cm bundle create|install.
  if (argvIn[0] === 'bundle') {
    const { bundleCommand } = await import('./bundle-command.js');
    return bundleCommand(argvIn.slice(1), { stdout, stderr, env });
  }
  // An Artifact Appendix from a script, an experiment and lockfiles: cm generate appendix ...
  if (argvIn[0] === 'generate' && argvIn[1] === 'appendix') {
    const { appendixCommand } = await import('./appendix-command.js');
    return appendixCommand(argvIn.slice(2), { stdout, stderr, env });
  }
  // Scripts for a request in plain words: cm suggest "WORDS".
  if (argvIn[0] === 'suggest') {
    const { suggestCommand } = await import('./suggest-command.js');
    return suggestCommand(argvIn.slice(1), { stdout, stderr, env });
  }
  // A Model Context Protocol server over stdio: the MCP SDK and zod are loaded only here.
  if (argvIn[0] === 'mcp') {
    const { mcpCommand } = await import('./mcp-command.js');
    return mcpCommand(argvIn.slice(1), { stdout, stderr, env });
  }
  return undefined;
}

/** Runs one command; returns the CM return code (used as the exit status). */
export async function main(argvIn: readonly string[], front: Front = 'cm'): Promise<number> {
  const stdout = fdWriter(1, () => process.stdout);
  const stderr = fdWriter(2, () => process.stderr);
  const env = process.env;
  const debug = (env['CM_DEBUG'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

  if (front === 'cm') {
    const code = await ownCommand(argvIn, { stdout, stderr, env });
    if (code !== undefined) return code;
  }
  let command: MlcCommand;
  let input: Dict;
  let flags: string[];
  try {
    command = frontCommand(argvIn, front);
    if (command.kind === 'text') {
      stdout(`${command.text}\n`);
      return 0;
    }
    if (command.argv[0] === 'gui') {
      // The playground: hono and the rest are loaded only here (as for cm serve).
      const { runServerCommand } = await import('../server/main.js');
      return await runServerCommand('gui', command.argv.slice(1));
    }
    if (command.argv.length === 0) {
      stdout(`${USAGE}\n`);
      return 0;
    }
    ({ input, flags } = parseCommandLine(command.argv, (f) => readInputFile(f, process.cwd())));
  } catch (e) {
    // The input could not be read, so look for the output flags in argv itself.
    const head = argvIn.includes('--') ? argvIn.slice(0, argvIn.indexOf('--')) : argvIn;
    const json = head.some((a) => ['-j', '--j', '-json', '--json', '--out=json'].includes(a));
    const result = new SecretMask().deep(errorResult(e)) as Dict;
    createReporter({ json, silent: false, quiet: false, debug, stdout, stderr }).onResult(result);
    return result['return'] as number;
  }
  const out = typeof input['out'] === 'string' ? input['out'] : 'con';
  const json = input['j'] === true || input['json'] === true || out === 'json';
  const reporter = createReporter({
    json,
    // Asked at the first progress event: touching process.stderr costs start-up time.
    ttyColumns: () => (process.stderr.isTTY ? process.stderr.columns || 80 : undefined),
    silent: out !== 'con' && out !== 'json',
    quiet: input['s'] === true || input['silent'] === true,
    debug:
      input['debug'] === true
        ? ['*', ...debug]
        : input['v'] === true || input['verbose'] === true
          ? ['script', ...debug]
          : debug,
    stdout,
    stderr,
  });
  const cm = createCm({
    env,
    onEvent: reporter.onEvent,
    // node:tty (and node:net behind it) cost 7 ms to load: asked only when a question may come.
    interactive: () =>
      (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(0),
    confirm: confirmOnTty,
    ask: askOnTty,
  });
  const action = input['action'];
  const wantsHelp = input['help'] === true || input['h'] === true;
  if (
    (action === undefined && wantsHelp) ||
    (action === 'help' && input['automation'] === undefined)
  ) {
    stdout(generalHelp(cm.context) + '\n');
    return 0;
  }
  if (action === undefined && input['version'] === true) {
    // `cm --version`: the flag is the action.
    input['action'] = 'version';
    flags = flags.filter((k) => k !== 'version');
  } else if (action === undefined) {
    // As the reference: flags without an action (`cm -v`, `cm --tags=x`) print the usage line.
    const result = { return: 0, warning: 'no action specified' };
    if (json) reporter.onResult(result);
    else if (out === 'con') stdout(`${USAGE}\n`);
    return 0;
  }
  if (action === 'help' && typeof input['automation'] === 'string') {
    input['action'] = 'help';
  }
  // `mlc ACTION TARGET --help`: mlc's words first, then CM's help of the action with its flags.
  if (command.preface !== undefined && !json) stdout(`${command.preface}\n`);
  const raw = await cm.access(input, { flags });
  // A result printed or saved holds no secret either (a script's new_env may carry one back).
  const secrets = cm.context.secrets;
  const result = secrets.isEmpty ? raw : (secrets.deep(raw) as Dict);
  reporter.onResult(result);
  if (typeof input['save_to_json'] === 'string') {
    try {
      writeFileAtomic(input['save_to_json'], safeJson(result) + '\n');
    } catch (e) {
      stderr(
        `CM error: could not write ${input['save_to_json']}: ${(e as Error).message}\n` +
          '  hint: check the folder and the disk, then run the command again\n',
      );
      return 1;
    }
  }
  return finalStatus(typeof result['return'] === 'number' ? result['return'] : 0, stdout, stderr);
}
