// Reads a LoadGen detail log (`:::MLLOG {json}` lines) into its entries, keeping 64-bit integer
// values exact, and says what is malformed. Pure: the caller reads the file.

/** One problem found in a submission: the path it is about and what is wrong there. */
export interface SubmissionProblem {
  path: string;
  message: string;
}

export interface MllogEntry {
  key: string;
  /** The parsed JSON value; integers beyond 2^53 lose precision here, see `integer`. */
  value: unknown;
  /** The exact value when it was written as a bare JSON integer. */
  integer: bigint | undefined;
  isError: boolean;
  lineNo: number;
}

export interface ParsedMllog {
  entries: MllogEntry[];
  problems: SubmissionProblem[];
}

const MARKER = ':::MLLOG ';
const RAW_INTEGER = /"value":\s*(-?\d+)\s*,\s*"time_ms"/;

/** Parses every line; lines that are not marker lines or not JSON become problems naming the line. */
export function parseMllog(text: string, path: string): ParsedMllog {
  const entries: MllogEntry[] = [];
  const problems: SubmissionProblem[] = [];
  const lines = text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);
  if (lines.length === 0) problems.push({ path, message: 'empty detail log' });
  else if (!lines[0]?.startsWith(':::MLLOG'))
    problems.push({ path, message: "first line does not start with ':::MLLOG'" });
  lines.forEach((line, i) => {
    if (!line.startsWith(MARKER)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.slice(MARKER.length));
    } catch {
      problems.push({ path, message: `line ${i + 1}: marker line is not valid JSON` });
      return;
    }
    const record = parsed as { key?: unknown; value?: unknown; metadata?: { is_error?: unknown } };
    if (typeof record !== 'object' || record === null || typeof record.key !== 'string') {
      problems.push({ path, message: `line ${i + 1}: marker line has no string key` });
      return;
    }
    const raw = typeof record.value === 'number' ? RAW_INTEGER.exec(line)?.[1] : undefined;
    entries.push({
      key: record.key,
      value: record.value,
      integer: raw === undefined ? undefined : BigInt(raw),
      isError: record.metadata?.is_error === true,
      lineNo: i + 1,
    });
  });
  return { entries, problems };
}

/** The last entry with `key`, as the checker's log parser reads a key. */
export function lastEntry(log: ParsedMllog, key: string): MllogEntry | undefined {
  return log.entries.findLast((e) => e.key === key);
}
