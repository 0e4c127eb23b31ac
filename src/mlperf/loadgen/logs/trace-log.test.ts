import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTrace } from './trace-log.js';

test('an empty trace is the header, LastTrace and the footer, as valid JSON', () => {
  const text = renderTrace([], 123n);
  assert.equal(
    text,
    '{"traceEvents":[\n{"name":"LastTrace"}\n],"displayTimeUnit":"ns","otherData":{"ts":123,"version":"MLPerf LoadGen v1.0"}}\n',
  );
  assert.deepEqual(JSON.parse(text).traceEvents, [{ name: 'LastTrace' }]);
});

test('events carry µs times with 3 decimals, durations, async ids and args', () => {
  const text = renderTrace(
    [
      { name: 'IssueQuery', phase: 'X', timeNs: 1_234_567n, durationNs: 2_500n },
      {
        name: 'Sample',
        phase: 'b',
        timeNs: 5n,
        id: 7n,
        args: {
          sample_seq: 7n,
          query_seq: 7n,
          sample_idx: 28n,
          issue_start_ns: 5n,
          complete_ns: 2_000_000n,
        },
      },
    ],
    0n,
  );
  const parsed = JSON.parse(text) as { traceEvents: Record<string, unknown>[] };
  assert.deepEqual(parsed.traceEvents[0], {
    name: 'IssueQuery',
    ph: 'X',
    pid: 0,
    tid: 0,
    ts: 1234.567,
    dur: 2.5,
  });
  assert.ok(text.includes('"ts":1234.567,"dur":2.500}'));
  assert.deepEqual(parsed.traceEvents[1]?.['args'], {
    sample_seq: 7,
    query_seq: 7,
    sample_idx: 28,
    issue_start_ns: 5,
    complete_ns: 2000000,
  });
  assert.equal(parsed.traceEvents.length, 3);
});
