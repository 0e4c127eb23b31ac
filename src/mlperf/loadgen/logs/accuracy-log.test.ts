import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResponseHex, renderAccuracyLog } from './accuracy-log.js';

function float32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return bytes;
}

test('an empty run is exactly "[\\n]\\n" (§7 scenario 37)', () => {
  assert.equal(renderAccuracyLog([]), '[\n]\n');
});

test('a float32 28.0 response is logged as 0000E041 (§7 scenario 37)', () => {
  assert.equal(formatResponseHex(float32(28)), '0000E041');
  assert.equal(formatResponseHex(new Uint8Array([0, 0x0a, 0xff])), '000AFF');
  assert.equal(formatResponseHex(new Uint8Array([])), '');
});

test('entries use LoadGen separators and parse as strict JSON with unique seq ids', () => {
  const text = renderAccuracyLog([
    { seqId: 0n, qslIdx: 28, data: float32(28) },
    { seqId: 1n, qslIdx: 95, data: float32(94) },
    { seqId: 100n, qslIdx: 28, data: new Uint8Array([]) },
  ]);
  assert.equal(
    text,
    '[\n{ "seq_id" : 0, "qsl_idx" : 28, "data" : "0000E041" },\n' +
      '{ "seq_id" : 1, "qsl_idx" : 95, "data" : "0000BC42" },\n' +
      '{ "seq_id" : 100, "qsl_idx" : 28, "data" : "" }\n]\n',
  );
  const parsed = JSON.parse(text) as { seq_id: number }[];
  assert.deepEqual(
    parsed.map((entry) => entry.seq_id),
    [0, 1, 100],
  );
});
