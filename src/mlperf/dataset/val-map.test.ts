import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isCmError } from '../../core/errors.js';
import { checkValMapImages, parseValMap, readValMap } from './val-map.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-valmap-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rejectsWith(code: string, ...parts: string[]): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isCmError(e), String(e));
    assert.equal(e.code, code);
    for (const p of parts) assert.ok(e.message.includes(p), `"${e.message}" should name ${p}`);
    return true;
  };
}

describe('val_map.txt', () => {
  test('reads "<file> <label>" lines in order, skipping blank lines and any white space', () => {
    const text = 'ILSVRC2012_val_00000001.JPEG 65\n\n  b.JPEG\t999 \r\nsub/c.JPEG   0\n';
    assert.deepEqual(parseValMap(text, 'v.txt'), [
      { file: 'ILSVRC2012_val_00000001.JPEG', label: 65 },
      { file: 'b.JPEG', label: 999 },
      { file: 'sub/c.JPEG', label: 0 },
    ]);
  });

  test('a bad line is an error naming the file, the line number and the text', () => {
    const cases: Array<[string, string]> = [
      ['a.JPEG 1\nb.JPEG\n', 'v.txt:2: expected an image file and a label: "b.JPEG"'],
      ['a.JPEG 1\n\nb.JPEG x\n', 'v.txt:3: the label "x" is not a whole number 0-999'],
      ['a.JPEG 1000\n', 'v.txt:1: the label "1000"'],
      ['a.JPEG -1\n', 'v.txt:1: the label "-1"'],
      ['a.JPEG 1 2\n', 'v.txt:1: expected an image file and a label: "a.JPEG 1 2"'],
      ['../a.JPEG 1\n', 'v.txt:1: the image must be a path inside the image folder'],
      ['/etc/a.JPEG 1\n', 'v.txt:1: the image must be a path inside the image folder'],
    ];
    for (const [text, message] of cases)
      assert.throws(() => parseValMap(text, 'v.txt'), rejectsWith('bad-input', message));
  });

  test('a missing list file is file-not-found naming it', async () => {
    const path = join(dir, 'none.txt');
    await assert.rejects(readValMap(path), rejectsWith('file-not-found', path));
  });

  test('names the first missing image by its full path and counts the missing ones', async () => {
    const images = join(dir, 'images');
    mkdirSync(join(images, 'sub'), { recursive: true });
    mkdirSync(join(images, 'folder.JPEG'));
    for (const f of ['a.JPEG', 'sub/b.JPEG']) writeFileSync(join(images, f), 'x');
    const entries = parseValMap('a.JPEG 1\nsub/b.JPEG 2\n', 'v');
    await checkValMapImages(entries, images);
    const more = parseValMap('a.JPEG 1\nc.JPEG 2\nsub/d.JPEG 3\nfolder.JPEG 4\n', 'v');
    await assert.rejects(
      checkValMapImages(more, images),
      rejectsWith('file-not-found', join(images, 'c.JPEG'), '(and 2 more of 4)'),
    );
  });
});
