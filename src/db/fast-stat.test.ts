import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastStat, statInto } from './fast-stat.js';

test('gives the same mtime, size and kind as fs.statSync, and nothing for a missing path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-stat-'));
  const file = join(dir, '_cm.json');
  writeFileSync(file, '{"alias":"x"}');
  const st = statSync(file);
  assert.deepEqual(fastStat(file), [st.mtimeMs, st.size, true]);
  assert.equal(fastStat(dir)?.[2], false);
  assert.equal(fastStat(join(dir, 'missing')), undefined);
  const out = new Float64Array(2);
  assert.equal(statInto(file, out), true);
  assert.deepEqual([...out], [st.mtimeMs, st.size]);
  assert.equal(statInto(join(dir, 'missing'), out), false);
  rmSync(dir, { recursive: true, force: true });
});
