import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addToDownloadStore, findStoredDownload } from './download-store.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

test('a stored file is found by its content, or by a URL it came from (a password masked as lockfiles record it)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-store-'));
  const store = join(dir, 'downloads');
  try {
    const none = findStoredDownload(store, { urls: [new URL('http://h/x.bin')], sha256: A });
    assert.equal(none, undefined);
    writeFileSync(join(dir, 'x.bin'), 'x');
    const path = addToDownloadStore(store, {
      sha256: A,
      file: join(dir, 'x.bin'),
      name: 'x.bin',
      urls: ['https://***@h.example/models/x.bin'],
    });
    assert.equal(path, join(store, 'sha256', A, 'x.bin'));
    assert.equal(existsSync(join(dir, 'x.bin')), false, 'moved, not copied');
    assert.equal(findStoredDownload(store, { urls: [], sha256: A })?.path, path);
    const byUrl = findStoredDownload(store, {
      urls: [new URL('https://alice:pw@h.example/models/x.bin')],
    });
    assert.equal(byUrl?.sha256, A);
    assert.equal(
      findStoredDownload(store, { urls: [new URL('https://h.example/y.bin')] }),
      undefined,
    );
    // The same content again: kept where it is, its URLs merged; the caller's file left alone.
    writeFileSync(join(dir, 'again.bin'), 'x');
    addToDownloadStore(store, {
      sha256: A,
      file: join(dir, 'again.bin'),
      name: 'again.bin',
      urls: ['file:///mirror/x.bin'],
    });
    assert.equal(existsSync(join(dir, 'again.bin')), true);
    assert.deepEqual(JSON.parse(readFileSync(join(store, 'sha256', `${A}.json`), 'utf8')).urls, [
      'https://***@h.example/models/x.bin',
      'file:///mirror/x.bin',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('of two files stored for one URL, the one added last is taken; a checksum picks its own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-store-'));
  const store = join(dir, 'downloads');
  try {
    for (const [sha256, text] of [
      [A, 'old'],
      [B, 'new'],
    ] as const) {
      writeFileSync(join(dir, text), text);
      addToDownloadStore(store, {
        sha256,
        file: join(dir, text),
        name: 'm.bin',
        urls: ['http://h/m.bin'],
      });
      await new Promise((ok) => setTimeout(ok, 5));
    }
    const url = [new URL('http://h/m.bin')];
    assert.equal(findStoredDownload(store, { urls: url })?.sha256, B);
    assert.equal(findStoredDownload(store, { urls: url, sha256: A })?.sha256, A);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
