// Who may do what on the playground's server: bearer tokens with a read or write scope. The local
// `cm gui --token=T` has one write token; the team server keeps hashed tokens in PostgreSQL.
import { createHash, timingSafeEqual } from 'node:crypto';

export type Scope = 'read' | 'write';

export interface Authenticator {
  /** When true, every request needs a valid token (and writes a write-scope one). */
  readonly required: boolean;
  /** The scope of `token`, or undefined when it is not a valid token. */
  scopeOf(token: string): Promise<Scope | undefined>;
}

/** No tokens: loopback only, everything allowed. */
export const OPEN_ACCESS: Authenticator = {
  required: false,
  scopeOf: () => Promise.resolve('write'),
};

/** The hex SHA-256 of a token: what is stored, so that a leaked table reveals no token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** One fixed token with write scope (`cm gui --token=T`), compared in constant time. */
export function singleToken(token: string): Authenticator {
  const want = Buffer.from(hashToken(token), 'hex');
  return {
    required: true,
    scopeOf: (given) =>
      Promise.resolve(
        timingSafeEqual(Buffer.from(hashToken(given), 'hex'), want) ? 'write' : undefined,
      ),
  };
}

/** Whether `scope` allows what `needed` asks. */
export function allows(scope: Scope, needed: Scope): boolean {
  return scope === 'write' || needed === 'read';
}
