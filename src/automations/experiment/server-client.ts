// Talking to a team server (`cm serve`) for cm push / cm pull: where it is (--server or
// CM_SERVER_URL), the token (--token or CM_SERVER_TOKEN), and HTTP failures as clear CmErrors.
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import type { CmContext } from '../context.js';
import { str } from '../input.js';

export interface ServerTarget {
  /** Without a trailing slash. */
  url: string;
  token?: string;
  /** The unlock session (a protected experiment), once POST /api/unlock set one. */
  cookie?: string;
}

/** The server and token from the input, else from the caller's environment. */
export function serverTarget(input: Dict, ctx: CmContext, action: string): ServerTarget {
  const url = str(input, 'server') || ctx.env['CM_SERVER_URL'];
  if (url === undefined || url === '')
    throw new CmError('bad-input', `cm ${action} experiment needs the server: --server=URL`, {
      hint: 'or set CM_SERVER_URL (a team server starts with: cm serve --db=postgres://...)',
    });
  if (!/^https?:\/\/[^/]/.test(url))
    throw new CmError('bad-input', `--server must be an http(s):// URL (found "${url}")`);
  const token = str(input, 'token') || ctx.env['CM_SERVER_TOKEN'];
  if (token !== undefined && token !== '') ctx.secrets.add(token);
  return { url: url.replace(/\/+$/, ''), ...(token ? { token } : {}) };
}

export interface CallOptions {
  /** The scope this call needs, named in the message of a 401/403. */
  scope: 'read' | 'write';
  body?: unknown;
}

function reasonOf(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return (e as Error).message;
}

/** The server's JSON error ({error, code, hint}) or the start of its text. */
async function serverError(res: Response): Promise<{ error: string; hint?: string }> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: unknown; hint?: unknown };
    if (typeof body.error === 'string')
      return { error: body.error, ...(typeof body.hint === 'string' ? { hint: body.hint } : {}) };
  } catch {
    // not JSON (a proxy's page): its first line says enough
  }
  return { error: text.split('\n')[0]?.slice(0, 200) || res.statusText };
}

/** `method path` on the server; the parsed JSON answer, or a CmError saying what to do. */
export async function callServer<T>(
  target: ServerTarget,
  method: 'GET' | 'POST',
  path: string,
  options: CallOptions,
): Promise<{ value: T; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.token !== undefined) headers['authorization'] = `Bearer ${target.token}`;
  if (target.cookie !== undefined) headers['cookie'] = target.cookie;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch (e) {
    throw new CmError(
      'connection-failed',
      `cannot reach the CM server at ${target.url}: ${reasonOf(e)}`,
      {
        hint: 'check --server (or CM_SERVER_URL) and that "cm serve" runs there; then run the command again (it resumes)',
        cause: e,
      },
    );
  }
  if (res.ok) return { value: (await res.json()) as T, headers: res.headers };
  const { error, hint } = await serverError(res);
  const tokenHint = `a token with ${options.scope} scope: --token=T or CM_SERVER_TOKEN (made on the server with "cm serve token add --scope=${options.scope} --db=...")`;
  switch (res.status) {
    case 401:
      throw new CmError(
        'permission-denied',
        `the CM server at ${target.url} refused the request: ${error}`,
        { hint: `give ${tokenHint}` },
      );
    case 403:
      throw new CmError('permission-denied', `the CM server at ${target.url} refused: ${error}`, {
        hint: `this needs ${tokenHint}`,
      });
    case 404:
      throw new CmError('artifact-not-found', error, hint === undefined ? {} : { hint });
    case 413:
      throw new CmError(
        'bad-input',
        `the CM server at ${target.url} refused a large request: ${error}`,
        hint === undefined ? {} : { hint },
      );
    default:
      throw new CmError(
        res.status >= 500 ? 'connection-failed' : 'bad-input',
        `the CM server at ${target.url} answered ${res.status}: ${error}`,
        { hint: hint ?? 'run the command again; a push resumes where it stopped' },
      );
  }
}
