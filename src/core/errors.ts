// The one error type for expected failures, and the mapping from its kebab-case code to the
// numeric CM return code that the reference exposes as the process exit status.

/** Every expected failure CM knows about. */
export type CmErrorCode =
  | 'bad-input'
  | 'unknown-flag'
  | 'bad-name'
  | 'bad-meta'
  | 'bad-repo-meta'
  | 'automation-not-specified'
  | 'automation-not-found'
  | 'automation-not-in-repo'
  | 'automation-ambiguous'
  | 'automation-module-failed'
  | 'action-not-found'
  | 'artifact-not-found'
  | 'artifact-ambiguous'
  | 'artifact-exists'
  | 'target-exists'
  | 'file-not-found'
  | 'repo-not-found'
  | 'repo-exists'
  | 'repo-conflict'
  | 'git-failed'
  | 'not-confirmed'
  | 'inheritance-too-deep'
  | 'archive-failed'
  | 'download-failed'
  | 'checksum-mismatch'
  | 'locked'
  | 'script-not-found'
  | 'variation-unknown'
  | 'dependency-cycle'
  | 'script-failed'
  | 'hook-failed'
  | 'version-mismatch'
  | 'frozen-mismatch'
  | 'cache-miss'
  | 'write-failed'
  | 'connection-failed'
  | 'permission-denied'
  | 'executor-failed';

/** CM return code of each error code, as the reference uses them (0 ok, 1 generic, 16 not found ...). */
export function returnCodeOf(code: CmErrorCode): number {
  switch (code) {
    case 'bad-input':
    case 'unknown-flag':
    case 'bad-name':
    case 'bad-repo-meta':
    case 'artifact-ambiguous':
    case 'target-exists':
    case 'repo-exists':
    case 'repo-conflict':
    case 'git-failed':
    case 'not-confirmed':
    case 'automation-module-failed':
    case 'archive-failed':
    case 'download-failed':
    case 'checksum-mismatch':
    case 'locked':
    case 'hook-failed':
    case 'write-failed':
    case 'connection-failed':
    case 'permission-denied':
    case 'executor-failed':
      return 1;
    case 'script-failed':
    case 'version-mismatch':
    case 'frozen-mismatch':
      return 2;
    case 'automation-ambiguous':
      return 2;
    case 'automation-not-in-repo':
      return 3;
    case 'bad-meta':
    case 'automation-not-specified':
    case 'automation-not-found':
    case 'action-not-found':
      return 4;
    case 'artifact-exists':
    case 'inheritance-too-deep':
    case 'dependency-cycle':
      return 8;
    // Everything that looks for something and finds nothing, unlike the reference, which
    // returns 1 for a script (R21) or a cache entry (S79) that is not there.
    case 'artifact-not-found':
    case 'file-not-found':
    case 'repo-not-found':
    case 'script-not-found':
    case 'variation-unknown':
    case 'cache-miss':
      return 16;
    default: {
      const never: never = code;
      throw new Error(`unhandled error code ${String(never)}`);
    }
  }
}

export interface CmErrorOptions {
  /** What to try instead: a did-you-mean, a command, a flag. */
  hint?: string;
  /** Structured details for `--json` output (candidates, file, line ...). */
  details?: Record<string, unknown>;
  cause?: unknown;
  /** A CM return code reported by foreign code (a user's module) instead of the code's default. */
  returnCode?: number;
}

/** An expected failure: says where, what, and what to do about it. */
export class CmError extends Error {
  readonly code: CmErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly #returnCode: number | undefined;

  constructor(code: CmErrorCode, message: string, options: CmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CmError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.#returnCode = options.returnCode;
  }

  get returnCode(): number {
    return this.#returnCode ?? returnCodeOf(this.code);
  }
}

export function isCmError(e: unknown): e is CmError {
  return e instanceof CmError;
}
