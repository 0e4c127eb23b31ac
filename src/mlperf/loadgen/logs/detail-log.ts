// The append-only builder of mlperf_log_detail.txt (spec §4.3): `:::MLLOG ` + one strict-JSON
// object per entry, keys in LoadGen's order, integers (seeds) as bare 64-bit numbers. Pure: the
// runtime supplies the timestamps and writes the rendered text.

import { formatG } from './number-format.js';

/**
 * A logged value: bigint = integer (printed exactly), number = double (printed as C's `%g`),
 * an array = a list of integers (`loaded_qsl_set`), a record = a string→string map (file hashes).
 */
export type DetailValue =
  | string
  | number
  | bigint
  | boolean
  | readonly (number | bigint)[]
  | Readonly<Record<string, string>>;

/** Where and when an entry was logged, and whether it is an error or a warning. */
export interface DetailLogOptions {
  /** ns since the log started; defaults to the time of the previous entry. */
  readonly timeNs?: bigint;
  readonly isError?: boolean;
  readonly isWarning?: boolean;
  /** Free-form source location (LoadGen logs its C++ file and line). */
  readonly file?: string;
  readonly lineNo?: number;
}

/** One line of the detail log. */
export interface DetailEntry {
  readonly key: string;
  readonly value: DetailValue;
  readonly timeNs: bigint;
  readonly isError: boolean;
  readonly isWarning: boolean;
  readonly file: string;
  readonly lineNo: number;
}

/** The error keys LoadGen logs with `is_error: true`. */
export type DetailErrorKey =
  'error_runtime' | 'error_invalid_config' | 'error_invalid_test_settings';

function integerText(value: number | bigint): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new Error(`detail log list element ${value} is not an integer`);
  }
  return value.toString();
}

/** A value as the JSON text LoadGen writes (valid JSON where LoadGen's would not be: `[]`, escapes). */
export function formatDetailValue(value: DetailValue): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (typeof value === 'number') {
    return formatG(value);
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (Array.isArray(value)) {
    return `[${value.map(integerText).join(',')}]`;
  }
  const fields = Object.entries(value).map(
    ([name, text]) => `${JSON.stringify(name)}:${JSON.stringify(text)}`,
  );
  return `{${fields.join(',')}}`;
}

/** ns → `time_ms` text: whole milliseconds, a point and the 6-digit remainder. */
export function formatTimeMs(timeNs: bigint): string {
  return `${timeNs / 1_000_000n}.${(timeNs % 1_000_000n).toString().padStart(6, '0')}`;
}

/** Appends entries in the order the runtime logs them, counts errors and warnings, renders the text. */
export class DetailLog {
  readonly #entries: DetailEntry[] = [];
  readonly #pid: number;
  readonly #tid: number;
  #errorCount = 0;
  #warningCount = 0;

  constructor(identity: { readonly pid: number; readonly tid: number }) {
    this.#pid = identity.pid;
    this.#tid = identity.tid;
  }

  /** Appends one entry. */
  log(key: string, value: DetailValue, options: DetailLogOptions = {}): void {
    const previous = this.#entries.at(-1)?.timeNs ?? 0n;
    const entry: DetailEntry = {
      key,
      value,
      timeNs: options.timeNs ?? previous,
      isError: options.isError ?? false,
      isWarning: options.isWarning ?? false,
      file: options.file ?? 'loadgen',
      lineNo: options.lineNo ?? 0,
    };
    if (entry.isError) {
      this.#errorCount += 1;
    }
    if (entry.isWarning) {
      this.#warningCount += 1;
    }
    this.#entries.push(entry);
  }

  /** Appends an error entry (counted in `num_errors` and the summary trailer). */
  logError(key: DetailErrorKey, message: string, options: DetailLogOptions = {}): void {
    this.log(key, message, { ...options, isError: true });
  }

  /** Appends a `warning_generic_message` entry (counted in the summary trailer). */
  logWarning(message: string, options: DetailLogOptions = {}): void {
    this.log('warning_generic_message', message, { ...options, isWarning: true });
  }

  get errorCount(): number {
    return this.#errorCount;
  }

  get warningCount(): number {
    return this.#warningCount;
  }

  get entries(): readonly DetailEntry[] {
    return this.#entries;
  }

  /** One `:::MLLOG {...}` line per entry, each ending in `\n`. */
  render(): string {
    return this.#entries.map((entry) => `${this.#renderEntry(entry)}\n`).join('');
  }

  #renderEntry(entry: DetailEntry): string {
    const metadata =
      `{"is_error": ${entry.isError}, "is_warning": ${entry.isWarning}, "file": ${JSON.stringify(entry.file)}, ` +
      `"line_no": ${entry.lineNo}, "pid": ${this.#pid}, "tid": ${this.#tid}}`;
    return (
      `:::MLLOG {"key": ${JSON.stringify(entry.key)}, "value": ${formatDetailValue(entry.value)}, ` +
      `"time_ms": ${formatTimeMs(entry.timeNs)}, "namespace": "mlperf::logging", ` +
      `"event_type": "POINT_IN_TIME", "metadata": ${metadata}}`
    );
  }
}
