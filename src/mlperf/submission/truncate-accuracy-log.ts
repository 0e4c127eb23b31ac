// What tools/submission/truncate_accuracy_log.py does to one accuracy run (spec §4.4 end): the
// sha256 of the original log as a `hash=` line in accuracy.txt, the log cut to its head and tail.

import { createHash } from 'node:crypto';

/** Bytes kept from each end of a truncated accuracy log. */
export const VIEWABLE_SIZE = 4096;
/** A log under this size with a hash line already in accuracy.txt counts as truncated. */
export const MAX_ACCURACY_LOG_SIZE = 10 * 1024;
const ELLIPSIS = new TextEncoder().encode('\n\n...\n\n');

/** Hex sha256 of the bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** First 4096 bytes + `\n\n...\n\n` + last 4096 bytes when the log has ≥ 4096 bytes; else unchanged. */
export function truncateAccuracyLogBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length < VIEWABLE_SIZE) return bytes;
  const out = new Uint8Array(2 * VIEWABLE_SIZE + ELLIPSIS.length);
  out.set(bytes.subarray(0, VIEWABLE_SIZE), 0);
  out.set(ELLIPSIS, VIEWABLE_SIZE);
  out.set(bytes.subarray(bytes.length - VIEWABLE_SIZE), VIEWABLE_SIZE + ELLIPSIS.length);
  return out;
}

/** The hash of the first `hash=<word>` line of accuracy.txt, if any. */
export function findHashLine(accuracyTxt: string): string | undefined {
  for (const line of accuracyTxt.split('\n')) {
    const m = /^hash=(\w+)$/.exec(line.replace(/\r$/, ''));
    if (m) return m[1];
  }
  return undefined;
}

/** accuracy.txt with `hash=<hash>` appended on a line of its own. */
export function appendHashLine(accuracyTxt: string, hash: string): string {
  const sep = accuracyTxt === '' || accuracyTxt.endsWith('\n') ? '' : '\n';
  return `${accuracyTxt}${sep}hash=${hash}\n`;
}

/** Whether the official tool would leave this accuracy run alone (hash present, log small). */
export function isAlreadyTruncated(accuracyTxt: string, logSize: number): boolean {
  return findHashLine(accuracyTxt) !== undefined && logSize < MAX_ACCURACY_LOG_SIZE;
}
