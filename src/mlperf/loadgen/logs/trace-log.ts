// The optional mlperf_log_trace.json (spec §4.5): Chrome trace-event JSON with one event per line
// and LoadGen's header and footer. Times are µs relative to the test start, 3 decimals.

import { formatDetailValue } from './detail-log.js';

/** One trace event: a complete event (`X`, with a duration) or an async sample begin/end (`b`/`e`). */
export interface TraceEvent {
  readonly name: string;
  readonly phase: 'X' | 'b' | 'e' | 'C';
  /** ns since the test start. */
  readonly timeNs: bigint;
  /** Complete events only. */
  readonly durationNs?: bigint;
  /** Async events: the id pairing begin and end (the sample sequence id). */
  readonly id?: bigint;
  /** Integer (bigint) or string arguments. */
  readonly args?: Readonly<Record<string, bigint | string>>;
}

/** ns → µs with exactly 3 decimals. */
function micros(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const magnitude = ns < 0n ? -ns : ns;
  return `${sign}${magnitude / 1000n}.${(magnitude % 1000n).toString().padStart(3, '0')}`;
}

function renderEvent(event: TraceEvent): string {
  const fields = [
    `"name":${JSON.stringify(event.name)}`,
    `"ph":"${event.phase}"`,
    '"pid":0',
    '"tid":0',
  ];
  fields.push(`"ts":${micros(event.timeNs)}`);
  if (event.durationNs !== undefined) {
    fields.push(`"dur":${micros(event.durationNs)}`);
  }
  if (event.id !== undefined) {
    fields.push(`"cat":"default"`, `"id":${event.id}`);
  }
  if (event.args !== undefined) {
    const args = Object.entries(event.args).map(
      ([key, value]) => `${JSON.stringify(key)}:${formatDetailValue(value)}`,
    );
    fields.push(`"args":{${args.join(',')}}`);
  }
  return `{${fields.join(',')}}`;
}

/** The whole trace file; `originUs` is the start of the test on the trace clock, in µs. */
export function renderTrace(events: readonly TraceEvent[], originUs: bigint): string {
  const lines = events.map((event) => `${renderEvent(event)},\n`).join('');
  return (
    `{"traceEvents":[\n${lines}{"name":"LastTrace"}\n],` +
    `"displayTimeUnit":"ns","otherData":{"ts":${originUs},"version":"MLPerf LoadGen v1.0"}}\n`
  );
}
