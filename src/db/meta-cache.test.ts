import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMetaFileCached } from './meta-cache.js';

test('serves a parsed YAML meta from the cache until the file changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-metacache-'));
  const file = join(dir, '_cm.yaml');
  const cache = join(dir, 'cache');
  writeFileSync(file, 'alias: a\ntags: [x]\n');
  // A file written this very moment is not cached (its mtime could repeat); an older one is.
  assert.deepEqual(readMetaFileCached(file, cache), { alias: 'a', tags: ['x'] });
  assert.throws(() => readdirSync(cache));
  const past = new Date(Date.now() - 10_000);
  utimesSync(file, past, past);
  assert.deepEqual(readMetaFileCached(file, cache), { alias: 'a', tags: ['x'] });
  assert.equal(readdirSync(cache).length, 1);
  assert.deepEqual(readMetaFileCached(file, cache), { alias: 'a', tags: ['x'] });
  writeFileSync(file, 'alias: a\ntags: [x, yy]\n');
  assert.deepEqual(readMetaFileCached(file, cache), { alias: 'a', tags: ['x', 'yy'] });
  writeFileSync(file, 'alias: a\ntags: [\n');
  assert.throws(() => readMetaFileCached(file, cache), /_cm\.yaml:\d+: malformed YAML/);
  rmSync(dir, { recursive: true, force: true });
});
