import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadgenNodeFlags, loadgenPoolSize, rerunWith } from './v8-pool.js';

test('the V8 pool leaves a core to the issue loop: cores − 1, from 1 to 4', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 16].map((n) => loadgenPoolSize(n)),
    [1, 1, 2, 3, 4, 4],
  );
  assert.deepEqual(loadgenNodeFlags([], '', 2), ['--v8-pool-size=1']);
  assert.deepEqual(loadgenNodeFlags([], '', 16), [], "Node's default fits");
  assert.deepEqual(loadgenNodeFlags(['--v8-pool-size=3'], '', 2), [], 'the user chose');
  assert.deepEqual(loadgenNodeFlags([], '--max-old-space-size=100 --v8-pool-size=2', 2), []);
});

test('rerunWith runs the script again with the flags and returns its exit status', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-v8-pool-'));
  const script = join(dir, 'child.cjs');
  const out = join(dir, 'out.json');
  writeFileSync(
    script,
    `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ argv: process.argv.slice(2), execArgv: process.execArgv })); process.exitCode = 3;`,
  );
  assert.equal(await rerunWith(['--v8-pool-size=1'], script, ['a', 'b c']), 3);
  const { argv, execArgv } = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8'));
  assert.deepEqual(argv, ['a', 'b c']);
  assert.ok(execArgv.includes('--v8-pool-size=1'), String(execArgv));
});
