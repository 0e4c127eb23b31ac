// The team server's bearer tokens: made by `cm serve token add` (only their SHA-256 is stored),
// listed and removed by hash prefix, and the Authenticator that checks requests against them.
import { randomBytes } from 'node:crypto';
import { CmError } from '../../../core/errors.js';
import { hashToken, type Authenticator, type Scope } from '../../auth.js';
import type { Pool } from './database.js';

export interface TokenInfo {
  /** The first 12 hex characters of the token's SHA-256: what `token rm` takes. */
  id: string;
  scope: Scope;
  created: string;
  note: string;
}

export function isScope(s: unknown): s is Scope {
  return s === 'read' || s === 'write';
}

/** A new token with `scope`; returns the token itself, which is shown once and never stored. */
export async function addToken(pool: Pool, scope: Scope, note = ''): Promise<string> {
  const token = `cm_${randomBytes(32).toString('base64url')}`;
  await pool.query('INSERT INTO tokens (hash, scope, note) VALUES ($1, $2, $3)', [
    hashToken(token),
    scope,
    note,
  ]);
  return token;
}

export async function listTokens(pool: Pool): Promise<TokenInfo[]> {
  const r = await pool.query<{ hash: string; scope: Scope; created: Date; note: string }>(
    'SELECT hash, scope, created, note FROM tokens ORDER BY created, hash',
  );
  return r.rows.map((t) => ({
    id: t.hash.slice(0, 12),
    scope: t.scope,
    created: t.created.toISOString(),
    note: t.note,
  }));
}

/** Removes the token whose id (a hash prefix of 6+ characters) or whole text is `idOrToken`. */
export async function removeToken(pool: Pool, idOrToken: string): Promise<TokenInfo> {
  const isId = /^[0-9a-f]{6,64}$/.test(idOrToken);
  const match = await pool.query<{ hash: string }>(
    isId
      ? 'SELECT hash FROM tokens WHERE starts_with(hash, $1)'
      : 'SELECT hash FROM tokens WHERE hash = $1',
    [isId ? idOrToken : hashToken(idOrToken)],
  );
  const hint = 'list the tokens with: cm serve token list --db=...';
  if (match.rows.length > 1)
    throw new CmError(
      'artifact-ambiguous',
      `${match.rows.length} tokens have ids starting with ${idOrToken}`,
      { hint: `give more characters of the id; ${hint}` },
    );
  const r = await pool.query<{ hash: string; scope: Scope; created: Date; note: string }>(
    'DELETE FROM tokens WHERE hash = $1 RETURNING hash, scope, created, note',
    [match.rows[0]?.hash ?? ''],
  );
  const t = r.rows[0];
  if (t === undefined)
    throw new CmError('artifact-not-found', `no token ${isId ? idOrToken : '(the one given)'}`, {
      hint,
    });
  return {
    id: t.hash.slice(0, 12),
    scope: t.scope,
    created: t.created.toISOString(),
    note: t.note,
  };
}

/**
 * Tokens from the table. Requests need one as soon as the table has a token (checked again every
 * `refreshMs`, so that `cm serve token add` takes effect on a running server), and always when
 * the server listens beyond loopback: removing the last token then locks everybody out, never in.
 */
export class DatabaseTokens implements Authenticator {
  readonly #pool: Pool;
  readonly #always: boolean;
  #count = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(pool: Pool, options: { alwaysRequired: boolean }) {
    this.#pool = pool;
    this.#always = options.alwaysRequired;
  }

  get required(): boolean {
    return this.#always || this.#count > 0;
  }

  get count(): number {
    return this.#count;
  }

  async refresh(): Promise<void> {
    const r = await this.#pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tokens');
    this.#count = r.rows[0]?.n ?? 0;
  }

  /** Re-reads the count every `refreshMs` until stop() (a failed read keeps the last count). */
  start(refreshMs = 2000): void {
    this.#timer = setInterval(() => {
      this.refresh().catch(() => undefined);
    }, refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async scopeOf(token: string): Promise<Scope | undefined> {
    const r = await this.#pool.query<{ scope: string }>(
      'SELECT scope FROM tokens WHERE hash = $1',
      [hashToken(token)],
    );
    const scope = r.rows[0]?.scope;
    return isScope(scope) ? scope : undefined;
  }
}
