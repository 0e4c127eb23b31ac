// A bad command line of `mlperf-loadgen`: the CLI prints the message and the usage of the
// subcommand, and exits 2.

export class UsageError extends Error {
  /** The usage text of the subcommand (the top-level one when absent). */
  readonly usage: string | undefined;
  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}

/** True for the errors node:util's parseArgs throws on unknown or malformed options. */
export function isParseArgsError(e: unknown): e is Error {
  return (
    e instanceof Error &&
    'code' in e &&
    String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')
  );
}
