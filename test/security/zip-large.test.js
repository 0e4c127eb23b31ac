// A zip whose one entry is 2 GiB + 1 byte of zeros (about 2 MB compressed, built here) unpacks
// through the CLI with bounded memory. Slow (it writes 2 GiB): a file of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { cmBin, sandbox } from '../e2e/helpers.js';
import { entry, zipOf } from './zip-builder.js';

const CHUNK = 64 << 20;
const CHUNKS = 32;
const SIZE = CHUNKS * CHUNK + 1; // 2 GiB + 1: over what a Buffer (and so fflate's unzipSync) holds

/**
 * The deflate stream of SIZE zeros: one block of CHUNK zeros, ended by a sync flush so that it
 * refers only to itself and can be repeated, then a final block of one zero.
 */
function zerosEntry() {
  const zeros = Buffer.alloc(CHUNK);
  const block = deflateRawSync(zeros, { finishFlush: constants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let k = 0; k < CHUNKS; k++) crc = crc32(zeros, crc);
  crc = crc32(Buffer.alloc(1), crc);
  const compressed = Buffer.concat([...Array(CHUNKS).fill(block), deflateRawSync(Buffer.alloc(1))]);
  return entry({ name: 'big/zeros.bin', compressed, crc, size: SIZE });
}

const free = (dir) => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

test('a zip entry of 2 GiB + 1 byte streams to disk with bounded memory', async (t) => {
  const s = sandbox('cm-zip-large-');
  if (free(s.dir) < SIZE + (1 << 30)) return t.skip('needs 3 GiB free in the temp folder');
  writeFileSync(join(s.dir, 'big.zip'), zipOf([zerosEntry()]));
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-v'] : [];
  const args = [process.execPath, cmBin, 'extract_file', 'utils', '--filename=big.zip'];
  const env = { ...process.env, CM_REPOS: s.home };
  delete env.CM_DEBUG;
  const [cmd, ...rest] = [...time, ...args, '--path=out', '-j'];
  const r = spawnSync(cmd, rest, { cwd: s.dir, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).files, 1);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (rss) assert.ok(Number(rss[1]) < 400 * 1024, `peak memory ${rss[1]} kB`);

  const out = join(s.dir, 'out', 'big', 'zeros.bin');
  assert.equal(statSync(out).size, SIZE);
  const fd = openSync(out, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    for (const at of [0, CHUNK - 7, 1 << 30, SIZE - buf.length, SIZE - 1]) {
      const n = readSync(fd, buf, 0, buf.length, at);
      assert.equal(n, Math.min(buf.length, SIZE - at), `bytes at ${at}`);
      assert.ok(
        buf.subarray(0, n).every((b) => b === 0),
        `zeros at ${at}`,
      );
    }
  } finally {
    closeSync(fd);
    rmSync(out, { force: true });
    s.cleanup();
  }
});
