// End-to-end: extract-file on real archives made by GNU tar, gzip, bzip2, xz and Python's tarfile
// (entries that try to escape), and download-and-extract against a local HTTP server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parallel, sandbox } from './helpers.js';

const has = (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const sh = (cwd, cmd) => {
  const r = spawnSync('bash', ['-c', cmd], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
};

/** A package tree: a long path (over 100 bytes), an executable, a symlink and a hard link inside. */
function makeTree(dir) {
  const long = `pkg-1.0/${'d'.repeat(60)}/${'f'.repeat(60)}.txt`;
  mkdirSync(join(dir, 'pkg-1.0', 'bin'), { recursive: true });
  mkdirSync(join(dir, 'pkg-1.0', 'd'.repeat(60)), { recursive: true });
  writeFileSync(join(dir, long), 'long\n');
  writeFileSync(join(dir, 'pkg-1.0', 'README'), 'read me\n');
  writeFileSync(join(dir, 'pkg-1.0', 'bin', 'tool'), '#!/bin/sh\necho tool ok\n', { mode: 0o755 });
  sh(dir, 'ln -s README pkg-1.0/LINK && ln pkg-1.0/README pkg-1.0/HARD');
  return long;
}

const evilTars = `
import tarfile, io, sys
def add(t, name, data=b'x', **kw):
    i = tarfile.TarInfo(name)
    for k, v in kw.items(): setattr(i, k, v)
    i.size = len(data) if i.isfile() else 0
    t.addfile(i, io.BytesIO(data) if i.isfile() else None)
for kind in ['abs', 'dotdot', 'symlink-out', 'symlink-abs', 'through-link', 'device', 'chain', 'disk-link', 'dir-clash']:
    with tarfile.open(kind + '.tar', 'w', format=tarfile.GNU_FORMAT) as t:
        add(t, 'fine.txt')
        if kind == 'abs': add(t, '/tmp/cm-evil-abs.txt')
        if kind == 'dotdot': add(t, 'a/../../escaped.txt')
        if kind == 'symlink-out': add(t, 'up', type=tarfile.SYMTYPE, linkname='../..')
        if kind == 'symlink-abs': add(t, 'etc', type=tarfile.SYMTYPE, linkname='/etc')
        if kind == 'through-link':
            add(t, 'inner', type=tarfile.SYMTYPE, linkname='fine.txt')
            add(t, 'inner/x.txt')
        if kind == 'device': add(t, 'null', type=tarfile.CHRTYPE)
        if kind == 'chain':
            add(t, 'd1/d2/up', type=tarfile.SYMTYPE, linkname='../..')
            add(t, 'esc', type=tarfile.SYMTYPE, linkname='d1/d2/up/..')
        if kind == 'disk-link': add(t, 'out-link/x.txt')
        if kind == 'dir-clash': add(t, 'zz')
# A legal name that starts with "..", and a truncated archive.
with tarfile.open('dots.tar', 'w') as t:
    add(t, '..data')
    add(t, 'a..b/c')
big = io.BytesIO()
with tarfile.open(fileobj=big, mode='w') as t:
    add(t, 'big.bin', b'x' * 300000)
open('cut.tar', 'wb').write(big.getvalue()[:150000])
`;

describe('extract-file', parallel, () => {
  test('tar, tar.gz, tar.bz2, tar.xz, zip, gz: long names, modes, links, --strip_folders, --extra_folder', async () => {
    const s = sandbox('cm-ex-');
    const src = join(s.dir, 'src');
    mkdirSync(src);
    const long = makeTree(src);
    sh(
      src,
      'tar cf ../p.tar pkg-1.0 && tar czf ../p.tar.gz pkg-1.0 && tar --format=posix -cf ../pax.tar pkg-1.0',
    );
    if (has('bzip2')) sh(src, 'tar cjf ../p.tar.bz2 pkg-1.0');
    if (has('xz')) sh(src, 'tar cJf ../p.tar.xz pkg-1.0');
    if (has('zip')) sh(src, 'zip -qr ../p.zip pkg-1.0 -x pkg-1.0/LINK');
    sh(s.dir, 'cp src/pkg-1.0/README r.txt && gzip -k r.txt');
    for (const f of readdirSync(s.dir).filter((x) => /^(p|pax)\./.test(x))) {
      const r = await s.cm(
        'run',
        'script',
        'extract file',
        `--input=${f}`,
        `--extract_path=out/${f}`,
        '-j',
      );
      assert.equal(r.code, 0, `${f}: ${r.stderr}`);
      const root = join(s.dir, 'out', f);
      assert.equal(r.json().new_env.CM_EXTRACT_EXTRACTED_PATH, root);
      assert.equal(readFileSync(join(root, long), 'utf8'), 'long\n', f);
      assert.equal(statSync(join(root, 'pkg-1.0', 'bin', 'tool')).mode & 0o777, 0o755, f);
      if (f !== 'p.zip') {
        assert.equal(readlinkSync(join(root, 'pkg-1.0', 'LINK')), 'README', f);
        assert.equal(
          statSync(join(root, 'pkg-1.0', 'HARD')).ino,
          statSync(join(root, 'pkg-1.0', 'README')).ino,
          f,
        );
      }
      assert.ok(existsSync(join(s.dir, f)), 'the archive is kept');
    }
    const st = await s.cm(
      'run',
      'script',
      'extract file',
      '--input=p.tar.gz',
      '--strip_folders=1',
      '--extra_folder=flat',
      '-j',
    );
    assert.equal(st.code, 0, st.stderr);
    assert.equal(st.json().new_env.CM_EXTRACT_EXTRACTED_PATH, join(s.dir, 'flat'));
    assert.equal(readFileSync(join(s.dir, 'flat', 'README'), 'utf8'), 'read me\n');
    const gz = await s.cm('run', 'script', 'extract file _path.r.txt.gz', '--extract_path=g', '-j');
    assert.equal(gz.code, 0, gz.stderr);
    assert.equal(gz.json().new_env.CM_EXTRACT_EXTRACTED_PATH, join(s.dir, 'g', 'r.txt'));
    assert.equal(readFileSync(join(s.dir, 'g', 'r.txt'), 'utf8'), 'read me\n');
    const rm = await s.cm(
      'run',
      'script',
      'extract file',
      '--input=r.txt.gz',
      '--extract_path=g2',
      '--env.CM_EXTRACT_REMOVE_EXTRACTED=yes',
    );
    assert.equal(rm.code, 0, rm.stderr);
    assert.ok(!existsSync(join(s.dir, 'r.txt.gz')), 'removed when asked');

    // --force_cache: keyed by the archive's content, not only its name.
    sh(s.dir, 'gzip -c r.txt > r.txt.gz');
    const one = await s.cm(
      'run',
      'script',
      'extract file',
      '--input=r.txt.gz',
      '--force_cache',
      '-j',
    );
    assert.equal(one.code, 0, one.stderr);
    writeFileSync(join(s.dir, 'r2.txt'), 'changed\n');
    sh(s.dir, 'gzip -c r2.txt > r.txt.gz');
    const two = await s.cm(
      'run',
      'script',
      'extract file',
      '--input=r.txt.gz',
      '--force_cache',
      '-j',
    );
    assert.equal(two.code, 0, two.stderr);
    assert.notEqual(
      two.json().new_env.CM_EXTRACT_EXTRACTED_PATH,
      one.json().new_env.CM_EXTRACT_EXTRACTED_PATH,
    );
    assert.equal(readFileSync(two.json().new_env.CM_EXTRACT_EXTRACTED_PATH, 'utf8'), 'changed\n');
    const none = await s.cm('run', 'script', 'extract file');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /nothing to extract: give --input=ARCHIVE/);
    const missing = await s.cm('run', 'script', 'extract file', '--input=nope.tar');
    assert.equal(missing.code, 16);
    assert.match(missing.stderr, /archive .*nope\.tar not found/);
    writeFileSync(join(s.dir, 'junk.bin'), 'not an archive');
    const junk = await s.cm('run', 'script', 'extract file', '--input=junk.bin');
    assert.equal(junk.code, 1);
    assert.match(junk.stderr, /unknown archive format/);
  });

  test(
    'entries that escape (absolute, .., symlinks out, writes through a link, devices) refuse the archive',
    { skip: !has('python3') },
    async () => {
      const s = sandbox('cm-ex-');
      const py = spawnSync('python3', ['-c', evilTars], { cwd: s.dir, encoding: 'utf8' });
      assert.equal(py.status, 0, py.stderr);
      const why = {
        abs: /entry "\/tmp\/cm-evil-abs\.txt" has an absolute path/,
        dotdot: /entry "a\/\.\.\/\.\.\/escaped\.txt" has "\.\." and would be written outside/,
        'symlink-out': /entry "up" is a symbolic link pointing outside/,
        'symlink-abs': /entry "etc" is a symbolic link to an absolute path \(\/etc\)/,
        'through-link': /entry "inner\/x\.txt" needs .*inner as a folder, but it is a file or link/,
        device: /entry "null" is a device or a FIFO/,
        chain: /entry "esc" is a symbolic link pointing outside/,
        'disk-link':
          /entry "out-link\/x\.txt" would be written through the symbolic link .*out-link already on disk/,
        'dir-clash': /entry "zz" would replace the folder .*zz that is already on disk/,
      };
      // What is already on disk in two target folders: a link pointing out, a folder.
      mkdirSync(join(s.dir, 'out-disk-link'));
      symlinkSync('..', join(s.dir, 'out-disk-link', 'out-link'));
      mkdirSync(join(s.dir, 'out-dir-clash', 'zz'), { recursive: true });
      for (const [kind, re] of Object.entries(why)) {
        const r = await s.cm(
          'run',
          'script',
          'extract file',
          `--input=${kind}.tar`,
          `--extract_path=out-${kind}`,
        );
        assert.equal(r.code, 1, kind);
        assert.match(r.stderr, re, kind);
        assert.match(r.stderr, /the archive is refused as a whole; nothing was unpacked/);
        const was = { 'disk-link': ['out-link'], 'dir-clash': ['zz'] }[kind] ?? [];
        assert.deepEqual(readdirSync(join(s.dir, `out-${kind}`)), was, `${kind}: nothing written`);
      }
      assert.ok(!existsSync('/tmp/cm-evil-abs.txt') && !existsSync(join(s.dir, 'escaped.txt')));
      assert.ok(!existsSync(join(s.dir, 'x.txt')), 'nothing written through the link on disk');
      const dots = await s.cm(
        'run',
        'script',
        'extract file',
        '--input=dots.tar',
        '--extract_path=o1',
      );
      assert.equal(dots.code, 0, dots.stderr);
      assert.ok(
        existsSync(join(s.dir, 'o1', '..data')) && existsSync(join(s.dir, 'o1', 'a..b', 'c')),
      );
      const cut = await s.cm(
        'run',
        'script',
        'extract file',
        '--input=cut.tar',
        '--extract_path=o2',
      );
      assert.equal(cut.code, 1);
      assert.match(cut.stderr, /cut\.tar is truncated: it ends inside an entry/);
      assert.deepEqual(readdirSync(join(s.dir, 'o2')), []);
    },
  );
});

describe('download-and-extract', parallel, () => {
  let server;
  let base;
  let tgz;
  let requests = 0;
  before(async () => {
    const s = sandbox('cm-dae-src-');
    mkdirSync(join(s.dir, 'src'));
    makeTree(join(s.dir, 'src'));
    sh(join(s.dir, 'src'), 'tar czf ../pkg.tar.gz pkg-1.0');
    tgz = readFileSync(join(s.dir, 'pkg.tar.gz'));
    server = createServer((req, res) => {
      requests++;
      if (req.url.startsWith('/pkg.tar.gz')) res.end(tgz);
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => server.close());

  test('downloads, checks the checksum, unpacks; --force_cache reuses both steps', async () => {
    const s = sandbox('cm-dae-');
    const sha = createHash('sha256').update(tgz).digest('hex');
    const r = await s.cm(
      'run',
      'script',
      'download-and-extract _extract',
      `--url=${base}/pkg.tar.gz`,
      `--sha256=${sha}`,
      '--strip_folders=1',
      '--env.CM_DAE_FINAL_ENV_NAME=PKG_PATH',
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    const env = r.json().new_env;
    assert.equal(env.PKG_PATH, s.dir);
    assert.equal(readFileSync(join(s.dir, 'README'), 'utf8'), 'read me\n');
    assert.ok(lstatSync(join(s.dir, 'LINK')).isSymbolicLink());
    assert.ok(existsSync(join(s.dir, 'pkg.tar.gz')), '_keep is the default');

    const before = requests;
    const c1 = await s.cm(
      'run',
      'script',
      'dae _extract',
      `--url=${base}/pkg.tar.gz?c`,
      `--sha256=${sha}`,
      '--force_cache',
      '-j',
    );
    assert.equal(c1.code, 0, c1.stderr);
    const p1 = c1.json().new_env.CM_EXTRACT_EXTRACTED_PATH;
    assert.match(p1, /cache/);
    assert.ok(existsSync(join(p1, 'pkg-1.0', 'README')));
    const c2 = await s.cm(
      'run',
      'script',
      'dae _extract',
      `--url=${base}/pkg.tar.gz?c`,
      `--sha256=${sha}`,
      '--force_cache',
      '-j',
    );
    assert.equal(c2.json().new_env.CM_EXTRACT_EXTRACTED_PATH, p1);
    assert.equal(requests, before + 1, 'the second run downloaded nothing');
    const c3 = await s.cm(
      'run',
      'script',
      'dae _extract',
      `--url=${base}/pkg.tar.gz?d`,
      '--force_cache',
      '-j',
    );
    assert.equal(c3.code, 0, c3.stderr);
    assert.notEqual(c3.json().new_env.CM_EXTRACT_EXTRACTED_PATH, p1, 'another URL, another entry');
    assert.equal(requests, before + 2);

    const bad = await s.cm(
      'run',
      'script',
      'dae _extract',
      `--url=${base}/pkg.tar.gz?bad`,
      `--sha256=${'1'.repeat(64)}`,
      '--download_path=bad',
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /sha256 checksum mismatch/);
    assert.deepEqual(readdirSync(join(s.dir, 'bad')), []);
    const none = await s.cm('run', 'script', '--tags=dae');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no URL to download: give --url=URL/);
  });
});
