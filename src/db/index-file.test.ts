import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIndex, encodeIndex, type IndexData } from './index-file.js';
import { emptyDir, recordAt, recordsOf, setRecords } from './index-record.js';

function sample(): IndexData {
  const dir = emptyDir();
  dir.m = 1700000000000.25;
  dir.U = '3333333333333333';
  setRecords(
    dir,
    ['a\t\t1111111111111111\t\t\t\t,x,', 'b\t\t2222222222222222\t\t\t\t,y,z,', 'é\t\t\t\t\t\t,,'],
    new Float64Array([1.5, 10, -1, -1, -1, -1, 2.5, 20, 3.5, 30, 4.5, 40]),
    ['_cm.yaml', '_cm.json'],
  );
  dir.e = { é: 'é/_cm.yaml: malformed YAML' };
  const meta = { alias: 'r', uid: '1', prefix: '', git: false, deps: [], format: 'cm' as const };
  return {
    repos: {
      '/r': { cmr: ['cmr.yaml', 1, 2], meta: { ...meta, raw: {} }, rootMtime: 5, dirs: { d: dir } },
    },
  };
}

test('reads back what it wrote: records, stamps, probes and folder facts', () => {
  const back = decodeIndex(encodeIndex(sample()));
  const dir = back?.repos['/r']?.dirs['d'];
  assert.ok(dir);
  assert.deepEqual(recordsOf(dir), recordsOf(sample().repos['/r']!.dirs['d']!));
  assert.equal(recordAt(dir, 1), 'b\t\t2222222222222222\t\t\t\t,y,z,');
  assert.deepEqual([...dir.s], [1.5, 10, -1, -1, -1, -1, 2.5, 20, 3.5, 30, 4.5, 40]);
  assert.equal(dir.p, 'a/_cm.yaml\nb/_cm.json\né/_cm.yaml\né/_cm.json\n');
  assert.equal(dir.m, 1700000000000.25);
  assert.deepEqual(dir.e, { é: 'é/_cm.yaml: malformed YAML' });
  assert.equal(back?.repos['/r']?.meta.alias, 'r');
});

test('refuses another format, a truncated file and one whose parts do not add up', () => {
  const good = encodeIndex(sample());
  assert.equal(decodeIndex(Buffer.from('{"format":"cm-ts-index/8","repos":{}}')), undefined);
  assert.equal(decodeIndex(good.subarray(0, good.length - 3)), undefined);
  const longer = Buffer.concat([good, Buffer.from('x')]);
  assert.equal(decodeIndex(longer), undefined);
  const other = Buffer.from(good);
  other.write('cm-ts-index/0', 0, 'latin1');
  assert.equal(decodeIndex(other), undefined);
  // Fewer stamps than the records need.
  const fewer = Buffer.from(good);
  fewer.writeUInt32LE(good.readUInt32LE(16) - 4, 16);
  assert.equal(decodeIndex(fewer), undefined);
});

test('reads a file that does not start on an 8-byte boundary of its memory', () => {
  const good = encodeIndex(sample());
  const shifted = Buffer.alloc(good.length + 3);
  good.copy(shifted, 3);
  const dir = decodeIndex(shifted.subarray(3))?.repos['/r']?.dirs['d'];
  assert.deepEqual([...(dir?.s ?? [])], [1.5, 10, -1, -1, -1, -1, 2.5, 20, 3.5, 30, 4.5, 40]);
});
