import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFsError } from './fs-error.js';

/** An error shaped as Node's fs functions throw them. */
function fsError(code: string, syscall: string, path: string, dest?: string): Error {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path, dest });
}

test('fixable fs failures become CM errors naming the file, the folder and the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-fserr-'));
  const home = join(dir, 'CM');
  const cases: Array<[Error, string, RegExp, RegExp]> = [
    // A mkdir -p is refused by the nearest folder that exists.
    [
      fsError('EACCES', 'mkdir', join(dir, 'a', 'b')),
      'write-failed',
      new RegExp(`^cannot write ${dir}/a/b: ${dir} is not writable \\(permission denied\\)$`),
      /cd to a writable folder/,
    ],
    [
      fsError('EROFS', 'open', join(dir, 'x.zip')),
      'write-failed',
      new RegExp(`^cannot write ${dir}/x.zip: ${dir} is on a read-only file system$`),
      /cd to a writable folder/,
    ],
    [
      fsError('ENOSPC', 'write', join(dir, 'f')),
      'write-failed',
      new RegExp(`no space left on the device in ${dir}$`),
      /df -h/,
    ],
    // Inside the CM home: CM_REPOS is the way out.
    [
      fsError('EACCES', 'rename', join(home, 'a'), join(home, 'b')),
      'write-failed',
      new RegExp(`^cannot write ${home}/b: ${dir} is not writable`),
      /set CM_REPOS to a writable folder/,
    ],
    // Opening a file that exists, or listing a folder: a read.
    [
      fsError('EACCES', 'scandir', dir),
      'permission-denied',
      new RegExp(`^cannot read ${dir}: permission denied$`),
      /ls -ld/,
    ],
  ];
  for (const [e, code, message, hint] of cases) {
    const c = fromFsError(e, { home });
    assert.ok(c, e.message);
    assert.equal(c.code, code, e.message);
    assert.match(c.message, message);
    assert.match(c.hint ?? '', hint);
    assert.equal(c.returnCode, 1);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('other errors are left alone (bugs stay internal errors)', () => {
  assert.equal(fromFsError(new Error('boom')), undefined);
  assert.equal(fromFsError(fsError('ENOENT', 'open', '/x')), undefined);
  assert.equal(fromFsError('EACCES'), undefined);
});

test('what is written and a hint of the caller replace the defaults', () => {
  const c = fromFsError(fsError('EACCES', 'open', '/nonexistent-dir/cm.zip.tmp-1'), {
    what: 'the archive',
    target: '/nonexistent-dir/cm.zip',
    hint: 'use --file',
  });
  assert.equal(
    c?.message,
    'cannot write the archive /nonexistent-dir/cm.zip: / is not writable (permission denied)',
  );
  assert.equal(c?.hint, 'use --file');
});
