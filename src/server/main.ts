// The `cm gui` (`cmg`) command line: the CLI imports it only when it is typed, so that hono and
// the rest cost nothing to every other command.
import { parseCommandLine } from '../core/argv.js';
import { isCmError } from '../core/errors.js';
import { readInputFile } from '../db/meta-file.js';
import { createCm } from '../index.js';
import { GUI_HELP, startGui } from './gui-command.js';
import { listenForStop } from './stop-signal.js';

type Write = (text: string) => void;

function fail(e: unknown, stderr: Write): number {
  if (isCmError(e)) {
    stderr(`CM error: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
    return e.returnCode;
  }
  stderr(`CM error: internal error: ${(e as Error).stack ?? String(e)}\n`);
  return 1;
}

/** Runs `cm gui ARGS`; returns the exit status once the server stops (SIGINT/SIGTERM). */
export async function runServerCommand(
  command: 'gui',
  argv: readonly string[],
  stdout: Write = (t) => void process.stdout.write(t),
  stderr: Write = (t) => void process.stderr.write(t),
): Promise<number> {
  try {
    const { input } = parseCommandLine([command, ...argv], (f) => readInputFile(f, process.cwd()));
    if (input['help'] === true || input['h'] === true) {
      stdout(`${GUI_HELP}\n`);
      return 0;
    }
    const cm = createCm({ env: process.env });
    const { server, page } = await startGui(cm, input);
    const token = typeof input['token'] === 'string' ? `token=${input['token']}` : '';
    const url = `${server.url}${page}${token ? `${page.includes('?') ? '&' : '?'}${token}` : ''}`;
    const stopped = listenForStop();
    stderr(`CM playground: ${url}\n  (Ctrl-C stops it)\n`);
    await stopped;
    await server.close();
    return 0;
  } catch (e) {
    return fail(e, stderr);
  }
}
