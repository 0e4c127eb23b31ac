// End-to-end: get-dataset-imagenet-aux (the catalog's script, our hook) through the real CLI: a
// folder given with --aux_path, and the download from a local HTTP server, where the first source
// fails and the second, with its own md5, is used; bad input named by path.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { sandbox } from './helpers.js';

const VAL = 'ILSVRC2012_val_00000001.JPEG 65\nILSVRC2012_val_00000002.JPEG 970\n';
let server;
let base;
let archive;
const served = [];

before(async () => {
  const s = sandbox('cm-aux-src-');
  mkdirSync(join(s.dir, 'aux'));
  writeFileSync(join(s.dir, 'aux', 'val.txt'), VAL);
  writeFileSync(join(s.dir, 'aux', 'synset_words.txt'), 'n01440764 tench\n');
  const tar = spawnSync('tar', ['-czf', 'caffe_ilsvrc12.tar.gz', '-C', 'aux', '.'], { cwd: s.dir });
  assert.equal(tar.status, 0, String(tar.stderr));
  archive = readFileSync(join(s.dir, 'caffe_ilsvrc12.tar.gz'));
  server = createServer((req, res) => {
    served.push(req.url);
    if (req.url === '/caffe_ilsvrc12.tar.gz') {
      res.writeHead(200, { 'content-length': archive.length });
      res.end(archive);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server?.close());

const md5 = (b) => createHash('md5').update(b).digest('hex');

/** `cmr "get dataset-aux imagenet-aux"` with the two sources pointed at the test server. */
function fromServer(s, [first, firstMd5], [second, secondMd5], ...more) {
  return s.cm(
    'run',
    'script',
    'get dataset-aux imagenet-aux',
    `--const.CM_PACKAGE_URL=${base}/${first}`,
    ...(firstMd5 ? [`--const.CM_DOWNLOAD_CHECKSUM=${firstMd5}`] : []),
    `--const.CM_PACKAGE_URL1=${base}/${second}`,
    ...(secondMd5 ? [`--const.CM_DOWNLOAD_CHECKSUM1=${secondMd5}`] : []),
    '--env.CM_DOWNLOAD_RETRIES=0',
    '--quiet',
    ...more,
  );
}

describe('get-dataset-imagenet-aux', () => {
  test('--aux_path uses a folder with val.txt; without it, the folder is named', async () => {
    const s = sandbox('cm-aux-');
    mkdirSync(join(s.dir, 'mine'));
    writeFileSync(join(s.dir, 'mine', 'val.txt'), VAL);
    const r = await s.cm(
      'run',
      'script',
      'get dataset-aux imagenet-aux',
      '--aux_path=mine',
      '-j',
      '--quiet',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().new_env.CM_DATASET_AUX_PATH, join(s.dir, 'mine'));
    assert.equal(r.json().new_env.CM_DATASET_AUX_VER, '2012');
    mkdirSync(join(s.dir, 'empty'));
    const bad = await s.cm(
      'run',
      'script',
      'get dataset-aux imagenet-aux',
      '--aux_path=empty',
      '--quiet',
    );
    assert.equal(bad.code, 16);
    assert.match(
      bad.stderr,
      new RegExp(`the ImageNet auxiliary folder ${join(s.dir, 'empty')} has no val\\.txt`),
    );
    assert.match(bad.stderr, /hint: give a folder .*--aux_path=DIR/);
  });

  test('downloads and extracts the archive, trying the second source with its own md5 when the first fails', async () => {
    const s = sandbox('cm-aux-');
    const sources = [
      ['gone.tar.gz', '00000000000000000000000000000000'],
      ['caffe_ilsvrc12.tar.gz', md5(archive)],
    ];
    const r = await fromServer(s, ...sources, '-j');
    assert.equal(r.code, 0, r.stderr);
    const dir = r.json().new_env.CM_DATASET_AUX_PATH;
    assert.equal(readFileSync(join(dir, 'val.txt'), 'utf8'), VAL);
    assert.ok(
      served.includes('/gone.tar.gz') && served.includes('/caffe_ilsvrc12.tar.gz'),
      served.join(),
    );
    // Cached: the second run downloads nothing.
    const before = served.length;
    const again = await fromServer(s, ...sources, '-j');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().new_env.CM_DATASET_AUX_PATH, dir);
    assert.equal(served.length, before);
  });

  test('when both sources fail, both are named', async () => {
    const s = sandbox('cm-aux-');
    const r = await fromServer(s, ['a.tar.gz'], ['b.tar.gz']);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /cannot get the ImageNet auxiliary files:\n.*\/a\.tar\.gz: [^\n]*\n.*\/b\.tar\.gz: /,
    );
  });
});
