// `cm generate appendix …`: an Artifact Appendix (Markdown) written to --out (default appendix.md),
// or to stdout with --out=-. Loaded only for that command; a command of its own because the
// appendix is not an action of one automation: it reads a script, an experiment and lockfiles.
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CmError } from '../core/errors.js';
import { writeFileAtomic } from '../db/atomic-file.js';
import {
  APPENDIX_USAGE,
  generateAppendix,
  type AppendixRequest,
} from '../automations/appendix/generate-appendix.js';
import { commandContext, reportCommandError } from './command-error.js';

export interface AppendixIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

export const APPENDIX_HELP = `${APPENDIX_USAGE.join('\n')}
  An ACM/IEEE-style Artifact Appendix in Markdown: abstract, artifact check-list, hardware and
  software dependencies, installation (cm pull repo URL --checkout=COMMIT), the experiment workflow
  (the frozen commands that run exactly what was locked, and their container command), the
  expected results (cm-output.json beside a lockfile, an experiment's results), customization and
  notes; filled from the script's and the experiment's meta and the runs' lockfiles.
  --lock=FILE      a run lockfile (cm run script ... --lock=FILE or --repro); repeat for several
  script "TAGS"    the script (selected as cm run script "TAGS" would; planned when no lockfile)
  experiment NAME  an experiment and the lockfiles of its run's steps (cme NAME --lock -- ...)
  --dir=RUN        the experiment's run folder (default: its newest recorded run)
  --out=FILE       where to write it (default appendix.md; - for stdout)
  -j, --json       what was written, as JSON`;

function parsed(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        lock: { type: 'string', multiple: true },
        dir: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean', short: 'j' },
      },
    });
  } catch (e) {
    // node's own words for an unknown flag or a flag without its value.
    throw new CmError('bad-input', `cm generate appendix: ${(e as Error).message}`, {
      hint: 'see cm generate appendix --help',
    });
  }
}

/** The request of `cm generate appendix ARGS` (ARGS after "appendix"). */
function requestOf(args: readonly string[]): {
  req: AppendixRequest;
  out: string;
  json: boolean;
  help: boolean;
} {
  const { values, positionals } = parsed(args);
  const req: AppendixRequest = { locks: values.lock ?? [] };
  if (req.locks.includes('') || values.out === '')
    throw new CmError('bad-input', `--${values.out === '' ? 'out' : 'lock'} needs a file`, {
      hint: APPENDIX_USAGE.join('\n'),
    });
  const [kind, name, ...rest] = positionals;
  if (kind !== undefined) {
    if (kind !== 'script' && kind !== 'experiment')
      throw new CmError(
        'bad-input',
        `cm generate appendix: "${kind}" is neither script nor experiment`,
        {
          hint: APPENDIX_USAGE.join('\n'),
        },
      );
    if (name === undefined || name === '' || rest.length > 0)
      throw new CmError(
        'bad-input',
        `cm generate appendix ${kind} needs one ${kind === 'script' ? '"TAGS"' : 'NAME'}`,
        {
          hint: APPENDIX_USAGE.join('\n'),
        },
      );
    req[kind] = name;
  }
  if (values.dir !== undefined) req.dir = values.dir;
  return {
    req,
    out: values.out ?? 'appendix.md',
    json: values.json === true,
    help: values.help === true,
  };
}

/** Runs `cm generate appendix ARGS`; returns the exit status. */
export async function appendixCommand(args: readonly string[], io: AppendixIo): Promise<number> {
  try {
    const { req, out, json, help } = requestOf(args);
    if (help) {
      io.stdout(`${APPENDIX_HELP}\n`);
      return 0;
    }
    const context = commandContext(io, json);
    const { text, sources } = await generateAppendix(context, req);
    const file = out === '-' ? undefined : resolve(context.cwd, out);
    if (file !== undefined) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, text);
    }
    const lockfiles = sources.runs.map((r) => r.shown).filter(Boolean);
    if (json) {
      const result = { return: 0, file: file ?? '-', lockfiles, planned: sources.planned };
      io.stdout(`${JSON.stringify(file ? result : { ...result, text }, null, 2)}\n`);
    } else if (file === undefined) io.stdout(text);
    else
      io.stderr(
        `Artifact Appendix written to ${file} (${sources.planned ? 'from a plan of the script' : `${lockfiles.length} lockfiles`})\n`,
      );
    return 0;
  } catch (e) {
    return reportCommandError(e, io);
  }
}
