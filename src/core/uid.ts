// CM UIDs: 16 lowercase hex characters (the first half of a UUID4 hex).
import { randomBytes } from 'node:crypto';

export function genUid(): string {
  return randomBytes(8).toString('hex');
}

/** True for a 16-character hex string (case-insensitive), as the reference's `is_cm_uid`. */
export function isUid(s: string): boolean {
  return s.length === 16 && /^[0-9a-fA-F]{16}$/.test(s);
}
