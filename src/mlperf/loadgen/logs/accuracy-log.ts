// The text of mlperf_log_accuracy.json (spec §4.4): one entry per logged sample in completion
// order, the response bytes as upper-case hex, LoadGen's exact separators; `[\n]\n` when empty.

/** One logged response. */
export interface AccuracyEntry {
  /** The sample sequence id (shared by all series of one StartTest). */
  readonly seqId: bigint;
  readonly qslIdx: number;
  /** The response bytes exactly as the SUT returned them. */
  readonly data: Uint8Array;
}

/** Response bytes as two upper-case hex digits per byte, in memory order. */
export function formatResponseHex(data: Uint8Array): string {
  let hex = '';
  for (const byte of data) {
    hex += byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return hex;
}

/** Renders the file from its entries, in the order they were logged. */
export function renderAccuracyLog(entries: readonly AccuracyEntry[]): string {
  const body = entries
    .map(
      (entry, index) =>
        `${index === 0 ? '\n' : ',\n'}{ "seq_id" : ${entry.seqId}, "qsl_idx" : ${entry.qslIdx}, ` +
        `"data" : "${formatResponseHex(entry.data)}" }`,
    )
    .join('');
  return `[${body}\n]\n`;
}
