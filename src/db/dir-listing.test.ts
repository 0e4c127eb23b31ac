import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandMemos, hasFile, listing, withCommandMemos } from './dir-listing.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('two commands at once each keep their own listings; outside a command nothing is kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-listing-'));
  writeFileSync(join(dir, 'run.sh'), '');
  const first = withCommandMemos(new CommandMemos(), async () => {
    const before = [...listing(dir)];
    await pause(20);
    // customize.js was added meanwhile: this command goes on with what it read at its start.
    return [before, hasFile(dir, 'customize.js')];
  });
  await pause(5);
  writeFileSync(join(dir, 'customize.js'), '');
  const second = withCommandMemos(new CommandMemos(), async () => hasFile(dir, 'customize.js'));
  assert.deepEqual(await first, [['run.sh'], false]);
  assert.equal(await second, true, 'a command started later reads the folder afresh');
  rmSync(join(dir, 'customize.js'));
  assert.equal(
    hasFile(dir, 'customize.js'),
    false,
    'outside a command the folder is read each time',
  );
  rmSync(dir, { recursive: true, force: true });
});
