// Secrets in inputs and env: what counts as one (URL userinfo; values of keys such as HF_TOKEN,
// DB_PASSWORD, CLIENT_SECRET, API_KEY), masking them in text, and keeping them out of what is
// stored (cache state, tags, generated shell files). Pure.
import type { Dict } from './merge.js';

export const MASK = '***';

/**
 * Whether a key names a secret: one of its `_`-separated words ends in TOKEN, PASSWORD, PASSWD or
 * SECRET (GITHUB_TOKEN, HF_TOKEN_VALUE, DB_PASSWORD, CLIENT_SECRET), or its last word is KEY
 * (API_KEY, AWS_SECRET_ACCESS_KEY). Any case; TOKENIZER and MAX_TOKENS are no secrets.
 */
export function isSecretKey(key: string): boolean {
  const words = key.toUpperCase().split(/[_.\-]+/);
  if (words.length > 1 && words[words.length - 1] === 'KEY') return true;
  return words.some((w) => /(TOKEN|PASSWORD|PASSWD|SECRET)$/.test(w));
}

/** Values that say nothing secret even under a secret key (CM_HF_TOKEN_REQUIRED=yes). */
function isTrivialValue(v: string): boolean {
  return /^(|yes|no|true|false|on|off|none|null|\d{1,3})$/i.test(v.trim());
}

/** Whether `key: value` holds a secret: a secret key with a real value, or a URL with userinfo. */
export function isSecretEntry(key: string, value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const s = String(value);
  if (isSecretKey(key) && !isTrivialValue(s)) return true;
  return hasUrlUserinfo(s);
}

// scheme://USERINFO@ — the userinfo ends at the first "/", "?", "#", "@" or space.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'"<>]+)@/gi;

/** `ssh://git@host` names a login, not a secret. */
function isPlainLogin(userinfo: string): boolean {
  return userinfo === 'git';
}

export function hasUrlUserinfo(s: string): boolean {
  USERINFO.lastIndex = 0;
  for (let m = USERINFO.exec(s); m; m = USERINFO.exec(s)) if (!isPlainLogin(m[2]!)) return true;
  return false;
}

/** `https://alice:pw@host/x` → `https://***@host/x` (every URL in `s`). */
export function maskUrlUserinfo(s: string): string {
  if (!s.includes('@')) return s;
  return s.replace(USERINFO, (whole, scheme: string, info: string) =>
    isPlainLogin(info) ? whole : `${scheme}${MASK}@`,
  );
}

/** The secret parts of URLs in `s`: a password, or a userinfo without one (a token). */
function urlSecrets(s: string): string[] {
  const out: string[] = [];
  USERINFO.lastIndex = 0;
  for (let m = USERINFO.exec(s); m; m = USERINFO.exec(s)) {
    const info = m[2]!;
    if (isPlainLogin(info)) continue;
    const colon = info.indexOf(':');
    out.push(colon >= 0 ? info.slice(colon + 1) : info);
    out.push(info);
  }
  return out;
}

/**
 * The secrets met in one command (values of secret keys, URL passwords), masked in every text
 * that reaches the user. Values shorter than 4 characters are not masked in text (they would
 * garble it), but they are kept out of stored files all the same.
 */
export class SecretMask implements KnownSecrets {
  readonly #values = new Set<string>();
  /** Every secret value met (short ones too) and the names given with --secret.NAME. */
  readonly #stored = new Set<string>();
  readonly #names = new Set<string>();
  #sorted: string[] = [];

  /** A secret named by the user (--secret.NAME=VALUE): its name and value are secret wherever they go. */
  addNamed(name: string, value: string): void {
    this.#names.add(name);
    // `yes` or `1` would take every unrelated entry with that value out of stored files.
    if (value !== '' && !isTrivialValue(value)) this.#stored.add(value);
    this.add(value);
  }

  /** Whether any secret was met (results need no masking otherwise). */
  get isEmpty(): boolean {
    return this.#values.size === 0 && this.#names.size === 0;
  }

  isKnown(key: string, value: unknown): boolean {
    if (this.#names.has(key)) return true;
    return typeof value === 'string' && value !== '' && this.#stored.has(value);
  }

  add(value: string): void {
    const v = value.trim();
    if (v !== '' && !isTrivialValue(v)) this.#stored.add(value);
    if (v.length < 4 || this.#values.has(v) || isTrivialValue(v)) return;
    this.#values.add(v);
    // Longer first, so that a secret containing another is masked whole.
    this.#sorted = [...this.#values].sort((a, b) => b.length - a.length);
  }

  /** Learn the secrets of a dict of env (or flags): secret keys' values and URL passwords. */
  addFrom(dict: Dict): void {
    for (const [k, v] of Object.entries(dict)) {
      if (typeof v !== 'string' && typeof v !== 'number') continue;
      const s = String(v);
      if (isSecretKey(k) && !isTrivialValue(s)) this.add(s);
      if (s.includes('@')) for (const p of urlSecrets(s)) this.add(p);
    }
  }

  /** `text` with URL userinfo and every known secret replaced by ***. */
  text(text: string): string {
    let out = maskUrlUserinfo(text);
    for (const v of this.#sorted) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }

  /** A copy of plain data with every string masked (for error details). */
  deep(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (depth > 64 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((x) => this.deep(x, depth + 1));
    const out: Dict = {};
    // A value under a name given with --secret.NAME is masked however short it is.
    for (const [k, v] of Object.entries(value))
      out[k] =
        this.#names.has(k) && v !== '' && typeof v !== 'object' ? MASK : this.deep(v, depth + 1);
    return out;
  }
}

/** The secrets one command knows beyond the key patterns (those given with --secret.NAME). */
export interface KnownSecrets {
  isKnown(key: string, value: unknown): boolean;
}

/**
 * What may be stored of plain data (cache state, a dep list): entries holding a secret (by key
 * pattern, or named or valued as one of `known`) are left out and URL userinfo is masked in every
 * other string.
 */
export function withoutSecrets(value: unknown, known?: KnownSecrets, depth = 0): unknown {
  if (typeof value === 'string') return maskUrlUserinfo(value);
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value))
    return value
      .filter((x) => !known?.isKnown('', x))
      .map((x) => withoutSecrets(x, known, depth + 1));
  const out: Dict = {};
  for (const [k, v] of Object.entries(value)) {
    if (isSecretEntry(k, v) && isSecretKey(k)) continue;
    if (known?.isKnown(k, v)) continue;
    out[k] = withoutSecrets(v, known, depth + 1);
  }
  return out;
}

/** The keys of `env` whose values must not be written into a file (secrets, URLs with a password). */
export function secretKeysOf(env: Dict, known?: KnownSecrets): string[] {
  return Object.keys(env).filter(
    (k) => !k.startsWith('+') && (isSecretEntry(k, env[k]) || known?.isKnown(k, env[k]) === true),
  );
}
