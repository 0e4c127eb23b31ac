// CM UIDs: 16 lowercase hex characters (the first half of a UUID4 hex).

/** A new random uid (Web Crypto: no module load at start-up). */
export function genUid(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A short random suffix for temp file names (not security-relevant; the pid makes it unique). */
export function tmpSuffix(): string {
  return `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** True for a 16-character hex string (case-insensitive), as the reference's `is_cm_uid`. */
export function isUid(s: string): boolean {
  return s.length === 16 && /^[0-9a-fA-F]{16}$/.test(s);
}
