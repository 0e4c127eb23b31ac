// `cm bundle create --lock=FILE --out=B.tar` and `cm bundle install B.tar`: offline bundles of a
// locked run (src/automations/bundle). Loaded only for `cm bundle`.
import { parseArgs } from 'node:util';
import { CmError } from '../core/errors.js';
import { createCm, errorResult } from '../index.js';
import { createReporter } from './reporter.js';

export interface BundleIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

export const BUNDLE_HELP = `cm bundle create --lock=FILE --out=B.tar [--allow-dirty]
  Packs what the run locked in FILE (cm run script ... --lock=FILE) needs, to run it on a machine
  without network: every git repo FILE names, at its locked commit (git bundles); the files its
  scripts downloaded, found where the run put them or in the download store and checked against
  their sha256; the lockfile; and a manifest (cm-bundle.json) of every file's sha256 and size.
  --lock=FILE      the lockfile
  --out=B.tar      the bundle to write (a plain tar)
  --allow-dirty    pack a repo that had uncommitted changes when it was locked (its commit,
                   without them)

cm bundle install B.tar [--lock=FILE]
  Checks every file of the bundle against its manifest (a mismatch installs nothing), then
  registers the repos at their commits in $CM_REPOS/repos (their original URL kept as origin),
  puts the downloaded files into the download store $CM_REPOS/downloads/sha256/HASH/NAME, where
  CM's downloader takes them from before any network access, and writes the lockfile.
  --lock=FILE      where to write the lockfile (default cm-lock.json); then run:
                   cm run script ... --frozen=FILE

  -j, --json       the result as JSON
  -s, --silent     no progress messages`;

const OPTIONS = {
  lock: { type: 'string' },
  out: { type: 'string' },
  'allow-dirty': { type: 'boolean' },
  json: { type: 'boolean', short: 'j' },
  silent: { type: 'boolean', short: 's' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseFlags(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
}

type Flags = ReturnType<typeof parseFlags>;

function need(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '')
    throw new CmError('bad-input', `cm bundle ${usage.split(' ')[0]} needs ${flag}`, {
      hint: `cm bundle ${usage} (see cm bundle --help)`,
    });
  return value;
}

/** The action asked for, run against the CM home of `io.env`; its result dict. */
async function runBundle(
  { values, positionals }: Flags,
  io: BundleIo,
  onEvent: ReturnType<typeof createReporter>['onEvent'],
): Promise<Record<string, unknown>> {
  const cm = createCm({ env: io.env, onEvent });
  const ctx = cm.context;
  try {
    const [sub, ...rest] = positionals;
    if (sub === 'create') {
      if (rest.length > 0)
        throw new CmError('bad-input', `cm bundle create: unexpected "${rest[0]}"`, {
          hint: 'cm bundle create --lock=FILE --out=B.tar',
        });
      const { createBundle } = await import('../automations/bundle/create-bundle.js');
      const usage = 'create --lock=FILE --out=B.tar';
      return {
        ...(await createBundle(ctx, {
          lockFile: need(values.lock, '--lock=FILE', usage),
          out: need(values.out, '--out=B.tar', usage),
          allowDirty: values['allow-dirty'] === true,
        })),
      };
    }
    if (sub === 'install') {
      if (rest.length !== 1)
        throw new CmError(
          'bad-input',
          `cm bundle install needs one bundle (found ${rest.length})`,
          { hint: 'cm bundle install B.tar' },
        );
      const { installBundle } = await import('../automations/bundle/install-bundle.js');
      return {
        ...(await installBundle(ctx, { file: rest[0]!, lockTo: values.lock ?? 'cm-lock.json' })),
      };
    }
    throw new CmError('bad-input', `cm bundle: unknown subcommand "${sub}"`, {
      hint: 'cm bundle create --lock=FILE --out=B.tar, or cm bundle install B.tar (see cm bundle --help)',
    });
  } finally {
    ctx.index.save();
  }
}

/** Runs `cm bundle ARGS`; returns the exit status. */
export async function bundleCommand(argv: readonly string[], io: BundleIo): Promise<number> {
  const json = argv.includes('-j') || argv.includes('--json');
  const reporter = createReporter({
    json,
    silent: false,
    quiet: argv.includes('-s') || argv.includes('--silent'),
    debug: [],
    stdout: io.stdout,
    stderr: io.stderr,
  });
  let result: Record<string, unknown>;
  try {
    const flags = parseFlags(argv);
    if (flags.values.help || flags.positionals.length === 0) {
      io.stdout(`${BUNDLE_HELP}\n`);
      return flags.values.help ? 0 : 1;
    }
    result = { return: 0, ...(await runBundle(flags, io, reporter.onEvent)) };
  } catch (e) {
    const cmError =
      e instanceof Error && (e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? new CmError('bad-input', `cm bundle: ${e.message}`, { hint: 'see cm bundle --help' })
        : e;
    result = errorResult(cmError, { home: io.env['CM_REPOS'] });
  }
  reporter.onResult(result);
  return typeof result['return'] === 'number' ? result['return'] : 1;
}
