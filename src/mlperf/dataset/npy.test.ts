import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeNpy, encodeNpy } from './npy.js';

function numpyAvailable(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('.npy files', () => {
  test('the header is laid out as numpy.save writes it, and the data reads back', () => {
    const data = Float32Array.from({ length: 60 }, (_, i) => i - 7.5);
    const bytes = encodeNpy([3, 4, 5], data);
    const header = new TextDecoder().decode(bytes.subarray(10, 128));
    assert.equal(bytes.length, 128 + 240);
    assert.equal(
      header.trimEnd(),
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4, 5), }",
    );
    assert.ok(header.endsWith('\n'));
    const back = decodeNpy(bytes, 'x.npy');
    assert.deepEqual(back.shape, [3, 4, 5]);
    assert.deepEqual(back.data, data);
  });

  test('a file numpy wrote is byte for byte what we write', { skip: !numpyAvailable() }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-npy-'));
    try {
      for (const shape of [[3, 224, 224], [7], [1000, 2], [2, 3]]) {
        const file = join(dir, 'a.npy');
        const count = shape.reduce((a, b) => a * b, 1);
        execFileSync('python3', [
          '-c',
          `import numpy as np; np.save(${JSON.stringify(file)}, (np.arange(${count}, dtype=np.float32) * 0.25 - 3).reshape(${JSON.stringify(shape)}))`,
        ]);
        const data = Float32Array.from({ length: count }, (_, i) => i * 0.25 - 3);
        assert.deepEqual(Buffer.from(encodeNpy(shape, data)), readFileSync(file), `shape ${shape}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a damaged or foreign file is named with what is wrong', () => {
    assert.throws(
      () => decodeNpy(new Uint8Array([1, 2, 3]), '/d/x.npy'),
      /\/d\/x\.npy is not a float32 \.npy file: no NUMPY magic/,
    );
    const good = encodeNpy([2, 2], new Float32Array(4));
    assert.throws(
      () => decodeNpy(good.subarray(0, good.length - 1), 'y.npy'),
      /needs 16 bytes, found 15/,
    );
    const f8 = encodeNpy([2], new Float32Array(2));
    f8.set(new TextEncoder().encode("'<f8'"), 20);
    assert.throws(() => decodeNpy(f8, 'z.npy'), /dtype is <f8/);
  });
});
