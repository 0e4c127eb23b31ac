// End-to-end: bad input gets a clear error, the right return code, and loses nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliases, sandbox } from './helpers.js';

function withDataset() {
  const s = sandbox();
  assert.equal(s.cm('add', 'automation', 'dataset').code, 0);
  s.cm('add', 'dataset', 'good', '--tags=ok');
  return s;
}

/** Exit code equals the JSON return code, and the error goes to stderr with an empty stdout. */
function failsWith(s, code, pattern, ...args) {
  const plain = s.cm(...args);
  assert.equal(plain.code, code, `${args.join(' ')}: ${plain.stderr}`);
  assert.equal(plain.stdout, '');
  assert.match(plain.stderr, pattern);
  const j = s.cm(...args, '-j').json();
  assert.equal(j.return, code);
  return plain;
}

test('malformed YAML and JSON metas are reported with file and line; other artifacts stay usable', () => {
  const s = withDataset();
  s.write(
    {
      badyaml: { '_cm.yaml': 'alias: badyaml\ntags:\n  - a\n  b: [\n' },
      badjson: { '_cm.json': '{\n  "alias": "badjson",\n  "tags": [1,,]\n}\n' },
    },
    s.local('dataset'),
  );
  failsWith(s, 4, /badyaml\/_cm\.yaml:4: malformed YAML/, 'load', 'dataset', 'badyaml');
  failsWith(s, 4, /badjson\/_cm\.json:3: malformed JSON/, 'load', 'dataset', 'badjson');
  const list = s.cm('find', 'dataset', '--tags=ok');
  assert.equal(list.code, 0);
  assert.equal(list.stdout.trim(), s.local('dataset', 'good'));
  assert.match(list.stderr, /WARNING: .*badyaml\/_cm\.yaml:4: malformed YAML/);
  s.cleanup();
});

test('an unknown automation or action gives rc 4 with a did-you-mean', () => {
  const s = withDataset();
  const a = failsWith(s, 4, /automation "datset" not found/, 'find', 'datset');
  assert.match(a.stderr, /did you mean "dataset"/);
  const b = failsWith(
    s,
    4,
    /action "lod" not found in automation "dataset,[0-9a-f]{16}"/,
    'lod',
    'dataset',
    'good',
  );
  assert.match(b.stderr, /did you mean (one of: )?"?load/);
  failsWith(s, 4, /automation was not specified/, 'find', '--tags=x');
  failsWith(s, 3, /not found in repo "local"/, 'find', 'local:automation');
  s.cleanup();
});

test('an artifact that is not there gives rc 16 with a did-you-mean', () => {
  const s = withDataset();
  const r = failsWith(s, 16, /artifact not found: dataset goood/, 'load', 'dataset', 'goood');
  assert.match(r.stderr, /did you mean "good"/);
  failsWith(s, 16, /not found/, 'info', 'dataset', 'nothere');
  failsWith(s, 16, /not found/, 'cp', 'dataset', 'nothere', 'x');
  s.cleanup();
});

test('an ambiguous reference lists the candidates', () => {
  const s = withDataset();
  s.cm('add', 'dataset', 'good2');
  const r = failsWith(s, 1, /more than 1 artifact found/, 'load', 'dataset', 'good*');
  assert.match(r.stderr, /local:good,[0-9a-f]{16}/);
  assert.match(r.stderr, /local:good2,[0-9a-f]{16}/);
  assert.equal(s.cm('load', 'dataset', 'good*', '-j').json().details.candidates.length, 2);
  s.cleanup();
});

test('names with "/", "..", wildcards or nothing are refused and nothing is created', () => {
  const s = withDataset();
  const before = readdirSync(s.local('dataset')).sort();
  for (const name of ['a/b', '../evil', 'x..y', 'bad*', ' ', 'a:b:c']) {
    const r = s.cm('add', 'dataset', name);
    assert.equal(r.code, 1, name);
    assert.match(r.stderr, /invalid artifact name|not recognized/, name);
  }
  failsWith(s, 1, /name the new dataset artifact/, 'add', 'dataset');
  assert.deepEqual(readdirSync(s.local('dataset')).sort(), before);
  assert.equal(existsSync(join(s.home, 'repos', 'evil')), false);
  failsWith(s, 1, /CM object a:b:c is not recognized/, 'find', 'dataset', 'a:b:c');
  failsWith(s, 1, /CM object a,b,c is not recognized/, 'find', 'dataset', 'a,b,c');
  s.cleanup();
});

test('a duplicate alias or uid on add gives rc 8 and keeps the existing artifact', () => {
  const s = withDataset();
  const uid = s.cm('load', 'dataset', 'good', '-j').json().meta.uid;
  failsWith(s, 8, /already exists/, 'add', 'dataset', 'good', '--tags=other');
  failsWith(s, 8, /already exists/, 'add', 'dataset', `other,${uid}`);
  assert.deepEqual(s.cm('load', 'dataset', 'good', '-j').json().meta.tags, ['ok']);
  s.cleanup();
});

test('@missing.json gives rc 16 and @x.txt rc 1; list flags need values', () => {
  const s = withDataset();
  failsWith(s, 16, /File missing\.json not found/, 'find', 'dataset', '@missing.json');
  writeFileSync(join(s.dir, 'x.txt'), 'x');
  failsWith(s, 1, /file extension must be \.json or \.yaml in x\.txt/, 'find', 'dataset', '@x.txt');
  failsWith(s, 1, /a list flag needs values/, 'find', 'dataset', '--tags,');
  failsWith(s, 1, /already holds a value/, 'find', 'dataset', '--a=x', '--a.b=y');
  s.cleanup();
});

test('a killed or failed write leaves no half-made artifact behind', () => {
  const s = withDataset();
  // A failing cp (target exists) and a refused rm leave the folder listing unchanged.
  s.cm('add', 'dataset', 'other');
  const before = readdirSync(s.local('dataset')).sort();
  assert.equal(s.cm('cp', 'dataset', 'good', 'other').code, 1);
  assert.equal(s.cm('rm', 'dataset', 'good').code, 1);
  assert.deepEqual(readdirSync(s.local('dataset')).sort(), before);
  assert.deepEqual(aliases(s.cm('find', 'dataset', '-j')).sort(), ['good', 'other']);
  s.cleanup();
});
