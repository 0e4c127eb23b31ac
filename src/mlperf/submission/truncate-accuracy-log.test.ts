import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendHashLine, findHashLine, truncateAccuracyLogBytes } from './truncate-accuracy-log.js';
import { truncateAccuracyDir } from './truncate-accuracy-dir.js';

function bigLog(entries: number): string {
  const body = Array.from(
    { length: entries },
    (_, i) => `{ "seq_id" : ${i}, "qsl_idx" : ${i % 1000}, "data" : "0000E041" }`,
  );
  return `[\n${body.join(',\n')}\n]\n`;
}

test('logs of 4096 bytes or more keep their first and last 4096 bytes around an ellipsis', () => {
  const table: Array<[number, number]> = [
    [0, 0],
    [4095, 4095],
    [4096, 8199],
    [5000, 8199],
    [1_000_000, 8199],
  ];
  for (const [size, expected] of table) {
    const bytes = new Uint8Array(size).map((_, i) => 97 + (i % 26));
    const out = truncateAccuracyLogBytes(bytes);
    assert.equal(out.length, expected, `size ${size}`);
    if (size >= 4096) {
      const text = Buffer.from(out).toString('latin1');
      const original = Buffer.from(bytes).toString('latin1');
      assert.equal(text.slice(0, 4096), original.slice(0, 4096));
      assert.equal(text.slice(4096, 4103), '\n\n...\n\n');
      assert.equal(text.slice(4103), original.slice(-4096));
    }
  }
});

test('the hash line goes on a line of its own and is found again', () => {
  const table: Array<[string, string]> = [
    [
      'accuracy=76.000%, good=380, total=500\n',
      'accuracy=76.000%, good=380, total=500\nhash=ab12\n',
    ],
    ['accuracy=76.000%, good=380, total=500', 'accuracy=76.000%, good=380, total=500\nhash=ab12\n'],
    ['', 'hash=ab12\n'],
  ];
  for (const [before, after] of table) {
    assert.equal(appendHashLine(before, 'ab12'), after);
    assert.equal(findHashLine(after), 'ab12');
  }
  assert.equal(findHashLine('accuracy=1%\nhash =x\n'), undefined);
});

test('an accuracy folder gets the sha256 of the original log and a truncated log, once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'truncate-'));
  const log = bigLog(2000);
  await writeFile(join(dir, 'mlperf_log_accuracy.json'), log);
  await writeFile(join(dir, 'accuracy.txt'), 'accuracy=100.000%, good=1000, total=1000\n');
  const expectedHash = createHash('sha256').update(log).digest('hex');
  const first = await truncateAccuracyDir(dir);
  assert.deepEqual(first, {
    hash: expectedHash,
    isSkipped: false,
    originalSize: log.length,
    finalSize: 8199,
  });
  assert.equal(
    await readFile(join(dir, 'accuracy.txt'), 'utf8'),
    `accuracy=100.000%, good=1000, total=1000\nhash=${expectedHash}\n`,
  );
  const truncated = await readFile(join(dir, 'mlperf_log_accuracy.json'), 'utf8');
  assert.equal(truncated, `${log.slice(0, 4096)}\n\n...\n\n${log.slice(-4096)}`);
  const second = await truncateAccuracyDir(dir);
  assert.equal(second.isSkipped, true);
  assert.equal(await readFile(join(dir, 'mlperf_log_accuracy.json'), 'utf8'), truncated);
});

test('a folder without accuracy.txt is an error naming the missing file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'truncate-'));
  await writeFile(join(dir, 'mlperf_log_accuracy.json'), '[\n]\n');
  await assert.rejects(
    truncateAccuracyDir(dir),
    (e: Error & { code?: string }) =>
      e.code === 'file-not-found' && e.message.includes('accuracy.txt missing'),
  );
});
