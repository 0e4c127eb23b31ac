import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractArchive } from '../utils/archive.js';
import { writeTar } from './tar-writer.js';

test('a tar written from files and buffers, long and non-ASCII names included, reads back byte for byte', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-tar-'));
  try {
    const big = Buffer.alloc(1_300_000);
    for (let k = 0; k < big.length; k++) big[k] = (k * 31) % 251;
    writeFileSync(join(dir, 'big.bin'), big);
    const long = `downloads/${'a'.repeat(64)}/${'model-weights-'.repeat(6)}.onnx`;
    const entries = [
      { name: 'cm-bundle.json', data: Buffer.from('{"cm_bundle":1}\n') },
      { name: long, source: join(dir, 'big.bin') },
      { name: 'downloads/données-é.txt', data: Buffer.from('é\n') },
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    let counted = 0;
    writeTar(join(dir, 'b.tar'), entries, (n) => (counted += n));
    assert.equal(counted, 16 + big.length + 3);
    assert.equal(readFileSync(join(dir, 'b.tar')).length % 512, 0);
    await extractArchive({
      file: join(dir, 'b.tar'),
      root: join(dir, 'out'),
      strip: 0,
      emit: () => undefined,
    });
    assert.deepEqual(readFileSync(join(dir, 'out', long)), big);
    assert.equal(readFileSync(join(dir, 'out', 'downloads', 'données-é.txt'), 'utf8'), 'é\n');
    assert.equal(readFileSync(join(dir, 'out', 'empty')).length, 0);
    // Another tar reads it too, with the same names (pax records for the long and non-ASCII ones).
    const listed = spawnSync('tar', ['-tf', join(dir, 'b.tar')], { encoding: 'utf8' });
    if (listed.status === 0)
      assert.deepEqual(
        listed.stdout.trim().split('\n'),
        entries.map((e) => e.name),
      );
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes('.tmp-')),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a source that cannot be read leaves no tar and no temp file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-tar-'));
  try {
    assert.throws(
      () => writeTar(join(dir, 'b.tar'), [{ name: 'x', source: join(dir, 'missing') }]),
      /ENOENT/,
    );
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
