import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree } from './file-tree.js';
import { probesOf, staleRecords } from './index-freshness.js';

function stampsOf(dir: string, files: Array<[string, string] | undefined>): number[] {
  return files.flatMap((f) => {
    if (!f) return [-1, -1];
    const st = statSync(join(dir, ...f));
    return [st.mtimeMs, st.size];
  });
}

test('finds the artifacts whose meta files changed, appeared as stamped or vanished', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-fresh-'));
  writeTree(dir, {
    a: { '_cm.yaml': 'alias: a\n' },
    b: { '_cm.json': '{"alias":"b"}' },
    c: { '_cm.yaml': 'alias: c\n', '_cm.json': '{"uid":"1"}' },
    d: { '_cm.yaml': 'alias: d\n' },
  });
  const s = new Float64Array([
    ...stampsOf(dir, [['a', '_cm.yaml'], undefined]),
    ...stampsOf(dir, [undefined, ['b', '_cm.json']]),
    ...stampsOf(dir, [
      ['c', '_cm.yaml'],
      ['c', '_cm.json'],
    ]),
    ...stampsOf(dir, [['d', '_cm.yaml'], undefined]),
  ]);
  const p = probesOf(['a', 'b', 'c', 'd'], s, ['_cm.yaml', '_cm.json']);
  assert.equal(p, 'a/_cm.yaml\nb/_cm.json\nc/_cm.yaml\nc/_cm.json\nd/_cm.yaml\n');
  assert.deepEqual(staleRecords(`${dir}/`, 4, s, p), []);
  writeFileSync(join(dir, 'c', '_cm.json'), '{"uid":"2"}');
  rmSync(join(dir, 'd', '_cm.yaml'));
  assert.deepEqual(staleRecords(`${dir}/`, 4, s, p), [2, 3]);
  rmSync(dir, { recursive: true, force: true });
});

test('trusts nothing when the paths do not match the stamps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-fresh-'));
  writeTree(dir, { a: { '_cm.yaml': 'alias: a\n' }, b: { '_cm.yaml': 'alias: b\n' } });
  const s = new Float64Array([
    ...stampsOf(dir, [['a', '_cm.yaml'], undefined]),
    ...stampsOf(dir, [['b', '_cm.yaml'], undefined]),
  ]);
  assert.deepEqual(staleRecords(`${dir}/`, 2, s, 'a/_cm.yaml\nb/_cm.yaml\nb/_cm.yaml\n'), [0, 1]);
  assert.deepEqual(staleRecords(`${dir}/`, 2, s, 'a/_cm.yaml\n'), [1]);
  rmSync(dir, { recursive: true, force: true });
});
