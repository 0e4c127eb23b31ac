import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inFolder, Turns } from './hook-cwd.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function folders(): { a: string; b: string; done: () => void } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'cm-hook-cwd-')));
  const a = mkdtempSync(join(root, 'a-'));
  const b = mkdtempSync(join(root, 'b-'));
  return { a, b, done: () => rmSync(root, { recursive: true, force: true }) };
}

test('two overlapping hook calls each see their own working folder across their awaits', async () => {
  const { a, b, done } = folders();
  const start = process.cwd();
  const hook = (ms: number) => async (): Promise<string[]> => {
    const seen = [process.cwd()];
    await pause(ms);
    seen.push(process.cwd());
    await pause(1);
    seen.push(process.cwd());
    return seen;
  };
  // B starts while A waits and is still in its folder when A goes on: without turns, A would
  // see B's folder after its first await.
  const [ra, rb] = await Promise.all([inFolder(a, hook(1)), inFolder(b, hook(30))]);
  assert.deepEqual(ra, [a, a, a]);
  assert.deepEqual(rb, [b, b, b]);
  assert.equal(process.cwd(), start, 'the folder the process had is back');
  done();
});

test('a call made from inside a hook runs in its own folder without waiting for the hook to end', async () => {
  const { a, b, done } = folders();
  const start = process.cwd();
  const seen: string[] = [];
  await inFolder(a, async () => {
    seen.push(process.cwd());
    // As detect_version called by a hook's run_native_script: nested, it would deadlock if it
    // waited for the outer turn.
    seen.push(await inFolder(b, async () => (await pause(1), process.cwd())));
    seen.push(process.cwd());
  });
  assert.deepEqual(seen, [a, b, a]);
  assert.equal(process.cwd(), start);
  done();
});

test('a hook that throws gives the folder and the turn back', async () => {
  const { a, b, done } = folders();
  const start = process.cwd();
  await assert.rejects(
    inFolder(a, async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(process.cwd(), start);
  assert.equal(await inFolder(b, async () => process.cwd()), b);
  done();
});

test('turns run overlapping calls one after the other, in the order they came', async () => {
  const turns = new Turns();
  const log: string[] = [];
  const call = (name: string, ms: number) =>
    turns.take(async () => {
      log.push(`${name}+`);
      await pause(ms);
      log.push(`${name}-`);
    });
  await Promise.all([call('x', 20), call('y', 1), call('z', 1)]);
  assert.deepEqual(log, ['x+', 'x-', 'y+', 'y-', 'z+', 'z-']);
});
