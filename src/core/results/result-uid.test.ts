import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, contentUid, withResultUids } from './result-uid.js';

test('canonical JSON sorts keys at every level and drops undefined values', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [1, { z: 2, y: 1 }], c: undefined } }),
    '{"a":{"d":[1,{"y":1,"z":2}]},"b":1}',
  );
});

test('the content uid ignores key order and provenance fields, not values', () => {
  const a = contentUid({ x: 1, y: 'two' });
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.equal(contentUid({ y: 'two', x: 1 }), a);
  assert.equal(contentUid({ x: 1, y: 'two', experiment_dir: 'run', _id: 'e/run/u' }), a);
  assert.notEqual(contentUid({ x: 1, y: 'three' }), a);
  assert.notEqual(contentUid({ x: 1, y: 'two' }, 1), a);
});

test('rows keep their own uid; equal rows without one get different, repeatable uids', () => {
  const rows = [{ uid: 'mine', t: 1 }, { t: 2 }, { t: 2 }, { uid: '', t: 3 }];
  const once = withResultUids(rows);
  assert.equal(once[0], rows[0]);
  assert.equal(once[0]!.uid, 'mine');
  assert.notEqual(once[1]!.uid, once[2]!.uid);
  assert.equal(once[3]!.uid, contentUid({ t: 3 }));
  assert.deepEqual(
    withResultUids(rows).map((r) => r.uid),
    once.map((r) => r.uid),
  );
  assert.equal(rows[1]!['uid'], undefined, 'the input rows are not changed');
});
