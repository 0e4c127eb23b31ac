import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE_FORMAT, parseManifest } from './manifest.js';

const sha = 'c'.repeat(64);
const commit = 'd'.repeat(40);
const good = {
  cm_bundle: BUNDLE_FORMAT,
  created: '2025-01-01T00:00:00.000Z',
  cm_version: '0.1.0',
  lockfile: 'cm-lock.json',
  files: [
    { path: 'cm-lock.json', sha256: sha, size: 10 },
    { path: 'repos/org@demo.bundle', sha256: sha, size: 20 },
    { path: `downloads/${sha}/m.bin`, sha256: sha, size: 30 },
  ],
  repos: [
    {
      alias: 'org@demo',
      uid: '',
      url: 'https://h/org/demo',
      commit,
      file: 'repos/org@demo.bundle',
    },
  ],
  downloads: [
    { file: 'm.bin', sha256: sha, urls: ['http://h/m.bin'], path: `downloads/${sha}/m.bin` },
  ],
};
const edited = (change: (m: typeof good) => unknown): string =>
  JSON.stringify(change(structuredClone(good)));

test('a manifest of this format is read as it is', () => {
  assert.deepEqual(parseManifest(JSON.stringify(good), 'b.tar'), good);
});

test('a manifest that is not ours, of a newer format or naming paths and commits git or the disk could be misled by is refused', () => {
  const cases: Array<[string, RegExp]> = [
    ['{', /b\.tar is not a CM bundle: its cm-bundle\.json is not JSON/],
    ['{"files": []}', /b\.tar is not a CM bundle: its cm-bundle\.json has no format version/],
    [
      edited((m) => ({ ...m, cm_bundle: BUNDLE_FORMAT + 1 })),
      /b\.tar was made by a newer CM: bundle format 2 \(this CM reads format 1\)/,
    ],
    [
      edited((m) => {
        m.files[2]!.path = '../../etc/passwd';
        return m;
      }),
      /files\[2\]\.path: must be a relative path inside the bundle\n {2}downloads\[0\]\.path: must name one of the files/,
    ],
    [
      edited((m) => {
        m.repos[0]!.commit = '--upload-pack=touch /tmp/x';
        m.repos[0]!.alias = '..';
        return m;
      }),
      /repos\[0\]\.alias: "\.\." is the parent folder, not a name\n {2}repos\[0\]\.commit: must be a git commit id/,
    ],
    [
      edited((m) => {
        m.downloads[0]!.file = 'a/b.bin';
        m.files[0]!.sha256 = 'nope';
        return m;
      }),
      /files\[0\]\.sha256: must be 64 hex digits\n {2}lockfile: must name one of the files\n {2}downloads\[0\]\.file: must be a file name/,
    ],
    [
      edited((m) => {
        m.downloads[0]!.sha256 = 'f'.repeat(64);
        return m;
      }),
      /downloads\[0\]\.sha256: differs from the sha256 of downloads\/.*\/m\.bin in files/,
    ],
  ];
  for (const [text, message] of cases)
    assert.throws(() => parseManifest(text, 'b.tar'), message, text.slice(0, 60));
});
