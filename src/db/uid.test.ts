import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUid } from '../core/uid.js';
import { genUid } from './uid.js';

test('genUid gives 16 lowercase hex characters, all different, across refills of its pool', () => {
  const uids = Array.from({ length: 200 }, () => genUid());
  for (const u of uids) assert.ok(isUid(u) && u === u.toLowerCase(), u);
  assert.equal(new Set(uids).size, uids.length);
});
