// Adversarial zip archives through the real CLI: duplicate names, symbolic links with files under
// them, methods and damage CM cannot unpack, for extract_file, unzip_file and `cm unpack repo`.
// Each is refused as a whole with a CM error (code archive-failed, the entry named), never an
// internal error, and leaves nothing behind.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listDir, parallel, sandbox } from '../e2e/helpers.js';
import { entry, zipOf } from './zip-builder.js';

/** No stack trace, no "internal error": the failure is one the user can act on. */
function assertCmError(r, pattern) {
  assert.notEqual(r.code, 0, r.stdout);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, r.stderr);
  assert.equal(r.json().code, 'archive-failed', r.stderr);
  assert.match(r.json().error, pattern);
  assert.ok(r.json().hint, 'a hint says what to do');
}

describe('zip extraction', parallel, () => {
  test('a zip with two entries of the same name is refused as a whole and nothing is written', async () => {
    const s = sandbox('cm-zip-dup-');
    writeFileSync(
      join(s.dir, 'dup.zip'),
      zipOf([
        entry({ name: 'first.txt', data: 'first' }),
        entry({ name: 'pkg/a.txt', data: 'harmless' }),
        entry({ name: 'pkg/a.txt', data: 'replaced' }),
      ]),
    );
    for (const action of ['extract_file', 'unzip_file']) {
      const out = join(s.dir, action);
      const r = await s.cm(action, 'utils', '--filename=dup.zip', `--path=${out}`, '-j');
      assertCmError(r, /dup\.zip: entry "pkg\/a\.txt" clashes with another entry/);
      assert.ok(!existsSync(out) || readdirSync(out).length === 0, `${action} wrote nothing`);
    }
  });

  test('ZIP64 records and fields, stored and deflated entries and unix modes unpack', async () => {
    const s = sandbox('cm-zip-64-');
    const zip64 = { zip64: true };
    writeFileSync(
      join(s.dir, 'z64.zip'),
      zipOf(
        [
          entry({ name: 'd/', data: '', method: 0, mode: 0o40755, ...zip64 }),
          entry({ name: 'd/run.sh', data: '#!/bin/sh\n', mode: 0o100755, ...zip64 }),
          entry({ name: 'd/stored.txt', data: 'stored', method: 0, ...zip64 }),
          entry({ name: 'd/é.txt', data: 'x'.repeat(100_000), ...zip64 }),
        ],
        zip64,
      ),
    );
    const r = await s.cm('extract_file', 'utils', '--filename=z64.zip', '--path=out', '-j');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().files, 3);
    assert.equal(statSync(join(s.dir, 'out/d/run.sh')).mode & 0o777, 0o755);
    assert.equal(readFileSync(join(s.dir, 'out/d/stored.txt'), 'utf8'), 'stored');
    assert.equal(readFileSync(join(s.dir, 'out/d/é.txt'), 'utf8'), 'x'.repeat(100_000));
  });

  test('bzip2 and encrypted entries are refused by name before anything is written', async () => {
    const s = sandbox('cm-zip-method-');
    const bz = entry({
      name: 'b.bin',
      method: 12,
      compressed: Buffer.from('BZh9'),
      crc: 0,
      size: 9,
    });
    const enc = entry({ name: 'e.bin', data: 'secret', flags: 0x0801 });
    writeFileSync(join(s.dir, 'bz.zip'), zipOf([entry({ name: 'ok.txt', data: 'ok' }), bz]));
    writeFileSync(join(s.dir, 'enc.zip'), zipOf([entry({ name: 'ok.txt', data: 'ok' }), enc]));
    const [b, e] = await Promise.all([
      s.cm('extract_file', 'utils', '--filename=bz.zip', '--path=b', '-j'),
      s.cm('extract_file', 'utils', '--filename=enc.zip', '--path=e', '-j'),
    ]);
    assertCmError(b, /entry "b\.bin" uses compression method 12 \(bzip2\)/);
    assertCmError(e, /entry "e\.bin" is encrypted/);
    assert.ok(!existsSync(join(s.dir, 'b', 'ok.txt')) && !existsSync(join(s.dir, 'e', 'ok.txt')));
  });

  test('damaged bytes are a CM error and leave no partial file', async () => {
    const s = sandbox('cm-zip-bad-');
    const good = zipOf([entry({ name: 'a.txt', data: 'hello '.repeat(1000) })]);
    writeFileSync(join(s.dir, 'crc.zip'), zipOf([entry({ name: 'a.txt', data: 'hi', crc: 7 })]));
    const flipped = Buffer.from(good);
    flipped[40] ^= 0xff; // inside the deflate stream
    writeFileSync(join(s.dir, 'flip.zip'), flipped);
    writeFileSync(join(s.dir, 'cut.zip'), good.subarray(0, good.length - 30));
    const runs = await Promise.all(
      ['crc', 'flip', 'cut'].map((f) =>
        s.cm('extract_file', 'utils', `--filename=${f}.zip`, `--path=${f}`, '-j'),
      ),
    );
    assertCmError(runs[0], /crc\.zip: entry "a\.txt" fails its CRC-32 check/);
    assertCmError(runs[1], /flip\.zip: entry "a\.txt" (is damaged|fails|has|holds)/);
    assertCmError(runs[2], /cut\.zip is not a readable zip archive/);
    for (const f of ['crc', 'flip', 'cut']) assert.ok(!existsSync(join(s.dir, f, 'a.txt')), f);
  });
});

describe('cm unpack repo', parallel, () => {
  const meta = 'alias: evil-repo\nuid: 0123456789abcdef\n';

  test('a zip with a symbolic link and a file under it is a CM error; nothing is registered or left', async () => {
    const s = sandbox('cm-unpack-link-');
    writeFileSync(
      join(s.dir, 'link.zip'),
      zipOf([
        entry({ name: 'cmr.yaml', data: meta }),
        entry({ name: 'escape', data: '/tmp', mode: 0o120777 }),
        entry({ name: 'escape/pwned.txt', data: 'x' }),
      ]),
    );
    assert.equal((await s.cm('ls', 'repo')).code, 0);
    const before = listDir(join(s.home, 'repos'));
    const r = await s.cm('unpack', 'repo', 'link.zip', '-j');
    assertCmError(r, /link\.zip: entry "escape" is a symbolic link/);
    assert.deepEqual(listDir(join(s.home, 'repos')), before, 'no repo folder, no temp folder');
    assert.doesNotMatch((await s.cm('ls', 'repo')).stdout, /evil-repo/);
  });

  test('a zip whose meta appears twice is refused; nothing is registered or left', async () => {
    const s = sandbox('cm-unpack-dup-');
    writeFileSync(
      join(s.dir, 'dup.zip'),
      zipOf([
        entry({ name: 'cmr.yaml', data: meta }),
        entry({ name: 'cmr.yaml', data: 'alias: other-repo\nuid: 0123456789abcdee\n' }),
      ]),
    );
    assert.equal((await s.cm('ls', 'repo')).code, 0);
    const before = listDir(join(s.home, 'repos'));
    const r = await s.cm('unpack', 'repo', 'dup.zip', '-j');
    assertCmError(r, /dup\.zip: entry "cmr\.yaml" clashes with another entry/);
    assert.deepEqual(listDir(join(s.home, 'repos')), before);
    assert.doesNotMatch((await s.cm('ls', 'repo')).stdout, /evil-repo|other-repo/);
  });

  test('a repo packed by cm pack repo unpacks and is registered', async () => {
    const s = sandbox('cm-unpack-ok-');
    assert.equal((await s.cm('init', 'repo', 'packed', '--desc=hello')).code, 0);
    assert.equal((await s.cm('add', 'automation', 'dataset')).code, 0);
    assert.equal((await s.cm('add', 'dataset', 'packed:one', '--tags=x')).code, 0);
    assert.equal((await s.cm('pack', 'repo', 'packed', '--file=packed.zip')).code, 0);
    assert.equal((await s.cm('rm', 'repo', 'packed', '--all', '-f')).code, 0);
    const r = await s.cm('unpack', 'repo', 'packed.zip', '-j');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().alias, 'packed');
    const found = (await s.cm('find', 'dataset', 'one', '-j')).json().list;
    assert.equal(found[0].repo_alias, 'packed');
    assert.ok(!listDir(join(s.home, 'repos')).some((n) => n.startsWith('.unpack-')));
  });
});
