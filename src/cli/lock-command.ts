// `cm lock diff A B [--exit-code] [-j]`: what resolves differently between two run lockfiles
// (written by cm run script … --lock=FILE). Loaded only for `cm lock`.
import { parseArgs } from 'node:util';
import { CmError } from '../core/errors.js';
import { lockDifferences } from '../automations/script/lockfile/diff-lockfile.js';
import { readLockfile } from '../automations/script/lockfile/lockfile.js';
import { asCommandError, reportCommandError } from './command-error.js';

export interface LockIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const LOCK_HELP = `cm lock diff OLD.json NEW.json [--exit-code] [-j]
  What resolves differently between two run lockfiles (cm run script ... --lock=FILE): another
  script, variation, version, changed script files, a repo at another commit or with changes.
  One line per difference, named by the scripts that lead to it; "no differences" when the same.
  --exit-code   exit with 1 when they differ (as git diff --exit-code)
  -j, --json    the differences as JSON`;

function diffCommand(files: string[], exitCode: boolean, json: boolean, io: LockIo): number {
  if (files.length !== 2)
    throw new CmError('bad-input', `cm lock diff needs two lockfiles (found ${files.length})`, {
      hint: 'cm lock diff OLD.json NEW.json',
    });
  const [a, b] = files.map((f) => readLockfile(f)) as [
    ReturnType<typeof readLockfile>,
    ReturnType<typeof readLockfile>,
  ];
  const differences = lockDifferences(a, b);
  if (json) io.stdout(`${JSON.stringify({ return: 0, differences }, null, 2)}\n`);
  else if (differences.length === 0) io.stdout('no differences\n');
  else io.stdout(`${differences.join('\n')}\n`);
  return exitCode && differences.length > 0 ? 1 : 0;
}

/** Runs `cm lock ARGS`; returns the exit status. */
export function lockCommand(argv: readonly string[], io: LockIo): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        'exit-code': { type: 'boolean' },
        json: { type: 'boolean', short: 'j' },
      },
    });
    if (values.help || positionals.length === 0) {
      io.stdout(`${LOCK_HELP}\n`);
      return values.help ? 0 : 1;
    }
    if (positionals[0] !== 'diff')
      throw new CmError('bad-input', `cm lock: unknown subcommand "${positionals[0]}"`, {
        hint: 'cm lock diff OLD.json NEW.json (see cm lock --help)',
      });
    return diffCommand(
      positionals.slice(1),
      values['exit-code'] === true,
      values.json === true,
      io,
    );
  } catch (e) {
    return reportCommandError(asCommandError(e, 'lock'), io);
  }
}
