// The server's one error boundary: a CmError becomes a JSON answer with an HTTP status from its
// code; anything else is a bug, answered 500 without its stack.
import { isCmError, type CmErrorCode } from '../core/errors.js';

export interface ErrorAnswer {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 500 | 503;
  body: { error: string; code: string; hint?: string };
}

function statusOf(code: CmErrorCode): ErrorAnswer['status'] {
  switch (code) {
    case 'artifact-not-found':
    case 'automation-not-found':
    case 'file-not-found':
    case 'repo-not-found':
    case 'script-not-found':
      return 404;
    case 'permission-denied':
      return 403;
    case 'locked':
    case 'artifact-exists':
    case 'target-exists':
      return 409;
    default:
      return 400;
  }
}

export function errorAnswer(e: unknown): ErrorAnswer {
  if (isCmError(e)) {
    const status =
      typeof e.details?.['status'] === 'number'
        ? (e.details['status'] as ErrorAnswer['status'])
        : statusOf(e.code);
    return {
      status,
      body: { error: e.message, code: e.code, ...(e.hint ? { hint: e.hint } : {}) },
    };
  }
  return { status: 500, body: { error: 'internal error', code: 'internal' } };
}
