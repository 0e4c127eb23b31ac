// How a command outside the automation dispatch (cm serve, cm lock) reports a failure: as every
// other command does (CM error, hint), and the CM return code as its exit status.
import { errorResult } from '../index.js';
import { createReporter } from './reporter.js';

export function reportCommandError(
  e: unknown,
  io: { stdout(text: string): void; stderr(text: string): void },
): number {
  const result = errorResult(e);
  createReporter({
    json: false,
    silent: false,
    quiet: false,
    debug: [],
    stdout: io.stdout,
    stderr: io.stderr,
  }).onResult(result);
  return typeof result['return'] === 'number' ? result['return'] : 1;
}
