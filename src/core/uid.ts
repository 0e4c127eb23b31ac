// CM UIDs: 16 lowercase hex characters (the first half of a UUID4 hex).

/** The uid written with 8 random bytes (db/uid.ts draws them). */
export function uidOf(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A short random suffix for temp file names (not security-relevant; the pid makes it unique). */
export function tmpSuffix(): string {
  return `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** True for a 16-character hex string (case-insensitive), as the reference's `is_cm_uid`. */
export function isUid(s: string): boolean {
  return s.length === 16 && /^[0-9a-fA-F]{16}$/.test(s);
}
