// What a command outside the automation dispatch (cm serve, cm lock, cm suggest …) shares with
// the others: a CM context whose events the usual reporter draws, and failures reported as every
// other command does (CM error, hint), with the CM return code as its exit status.
import { CmError } from '../core/errors.js';
import type { CmContext } from '../automations/context.js';
import { createCm, errorResult } from '../index.js';
import { createReporter } from './reporter.js';

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

/** A CM context for the command, its events drawn as `cm` draws them (as JSON with `json`). */
export function commandContext(io: CommandIo, json: boolean): CmContext {
  const reporter = createReporter({
    json,
    silent: false,
    quiet: false,
    debug: [],
    stdout: io.stdout,
    stderr: io.stderr,
  });
  return createCm({ env: io.env, onEvent: reporter.onEvent }).context;
}

/** `e` as a CM error: node's own (an unknown flag to parseArgs …) named after `cm COMMAND`. */
export function asCommandError(e: unknown, command: string): CmError {
  return e instanceof CmError
    ? e
    : new CmError('bad-input', `cm ${command}: ${(e as Error).message}`, {
        hint: `see cm ${command} --help`,
      });
}

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
