// End-to-end: bad input gets a clear error, the right return code, and loses nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliases, listDir, parallel, sandbox } from './helpers.js';

async function withDataset() {
  const s = sandbox();
  assert.equal((await s.cm('add', 'automation', 'dataset')).code, 0);
  assert.equal((await s.cm('add', 'dataset', 'good', '--tags=ok')).code, 0);
  return s;
}

/**
 * The command fails with `code`: the exit status, and the JSON `return` with -j; the error is on
 * stderr (`CM error: ...`) and stdout stays empty without -j.
 */
async function failsWith(s, code, pattern, ...args) {
  const [plain, withJson] = await Promise.all([s.cm(...args), s.cm(...args, '-j')]);
  assert.equal(plain.code, code, `${args.join(' ')}: ${plain.stderr}`);
  assert.equal(plain.stdout, '');
  assert.match(plain.stderr, /^CM error: /m);
  assert.match(plain.stderr, pattern);
  assert.equal(withJson.code, code);
  const j = withJson.json();
  assert.equal(j.return, code);
  assert.match(j.error, pattern);
  return plain;
}

describe('bad input', parallel, () => {
  test('a malformed YAML meta is reported with file and line; other artifacts are still found, with a warning', async () => {
    const s = await withDataset();
    s.write(
      { badyaml: { '_cm.yaml': 'alias: badyaml\ntags:\n  - a\n  b: [\n' } },
      s.local('dataset'),
    );
    await failsWith(s, 4, /badyaml\/_cm\.yaml:4: malformed YAML/, 'load', 'dataset', 'badyaml');
    const list = await s.cm('find', 'dataset', '--tags=ok');
    assert.equal(list.code, 0);
    assert.equal(list.stdout, `${s.local('dataset', 'good')}\n`);
    assert.match(list.stderr, /WARNING: .*badyaml\/_cm\.yaml:4: malformed YAML/);
    assert.equal((await s.cm('load', 'dataset', 'good')).code, 0);
    s.cleanup();
  });

  test('a malformed JSON meta is reported with file and line; other artifacts are still found, with a warning', async () => {
    const s = await withDataset();
    s.write(
      { badjson: { '_cm.json': '{\n  "alias": "badjson",\n  "tags": [1,,]\n}\n' } },
      s.local('dataset'),
    );
    await failsWith(s, 4, /badjson\/_cm\.json:3: malformed JSON/, 'load', 'dataset', 'badjson');
    const list = await s.cm('find', 'dataset', '--tags=ok');
    assert.equal(list.code, 0);
    assert.equal(list.stdout, `${s.local('dataset', 'good')}\n`);
    assert.match(list.stderr, /WARNING: .*badjson\/_cm\.json:3: malformed JSON/);
    s.cleanup();
  });

  test('a JSON meta with a missing value is reported with its line', async () => {
    const s = await withDataset();
    s.write(
      { badjson: { '_cm.json': '{\n  "alias": "badjson",\n  "x": }\n' } },
      s.local('dataset'),
    );
    await failsWith(s, 4, /badjson\/_cm\.json:3: malformed JSON/, 'load', 'dataset', 'badjson');
    s.cleanup();
  });

  test('an unknown automation gives rc 4 with a did-you-mean', async () => {
    const s = await withDataset();
    const a = await failsWith(s, 4, /automation "datset" not found/, 'find', 'datset');
    assert.match(a.stderr, /did you mean "dataset"/);
    await failsWith(s, 4, /automation "dataset2" not found/, 'add', 'dataset2', 'x');
    await failsWith(s, 4, /automation was not specified/, 'find', '--tags=x');
    await failsWith(s, 3, /not found in repo "local"/, 'find', 'local:automation');
    s.cleanup();
  });

  test('an unknown action gives rc 4 with a did-you-mean', async () => {
    const s = await withDataset();
    const b = await failsWith(
      s,
      4,
      /action "lod" not found in automation "dataset,[0-9a-f]{16}"/,
      'lod',
      'dataset',
      'good',
    );
    assert.match(b.stderr, /did you mean (one of: )?"?load/);
    await failsWith(s, 4, /action "nonexistent_action" not found/, 'nonexistent-action', 'dataset');
    s.cleanup();
  });

  test('an artifact that is not there gives rc 16 with a did-you-mean for a near name', async () => {
    const s = await withDataset();
    const r = await failsWith(
      s,
      16,
      /artifact not found: dataset goood/,
      'load',
      'dataset',
      'goood',
    );
    assert.match(r.stderr, /did you mean "good"/);
    await failsWith(s, 16, /not found/, 'info', 'dataset', 'nothere');
    await failsWith(s, 16, /not found/, 'cp', 'dataset', 'nothere', 'x');
    await failsWith(s, 16, /not found/, 'mv', 'dataset', 'nothere', 'x');
    await failsWith(s, 16, /not found/, 'rm', 'dataset', 'nothere', '-f');
    assert.deepEqual(listDir(s.local('dataset')), ['good']);
    s.cleanup();
  });

  test('an ambiguous reference in load gives rc 1 and lists the candidates', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'good2');
    const r = await failsWith(s, 1, /more than 1 artifact found/, 'load', 'dataset', 'good*');
    assert.match(r.stderr, /local:good,[0-9a-f]{16}/);
    assert.match(r.stderr, /local:good2,[0-9a-f]{16}/);
    const j = (await s.cm('load', 'dataset', 'good*', '-j')).json();
    assert.deepEqual(j.details.candidates.map((c) => c.alias).sort(), ['good', 'good2']);
    s.cleanup();
  });

  test('names with "/", "..", ".", wildcards or nothing are refused and nothing is created', async () => {
    const s = await withDataset();
    const before = listDir(s.local('dataset'));
    const cases = {
      'a/b': /must not contain "\/"/,
      '../evil': /must not contain "\.\."|must not contain "\/"/,
      'x..y': /must not contain "\.\."/,
      '.': /"\." is the current folder/,
      'bad*': /wildcards are not allowed/,
      ' ': /it is empty/,
    };
    for (const [name, why] of Object.entries(cases)) {
      const r = await failsWith(s, 1, /invalid artifact name/, 'add', 'dataset', name);
      assert.match(r.stderr, why, name);
    }
    await failsWith(s, 1, /name the new dataset artifact/, 'add', 'dataset');
    await failsWith(s, 1, /name the new dataset artifact/, 'add', 'dataset', '');
    await failsWith(s, 1, /invalid artifact name/, 'cp', 'dataset', 'good', '../evil');
    await failsWith(s, 1, /invalid artifact name/, 'mv', 'dataset', 'good', 'a/b');
    assert.deepEqual(listDir(s.local('dataset')), before);
    assert.equal(existsSync(join(s.home, 'repos', 'evil')), false);
    assert.equal(existsSync(join(s.home, 'repos', 'local', 'evil')), false);
    s.cleanup();
  });

  test('a CM object with two ":" or two "," is not recognized (rc 1)', async () => {
    const s = await withDataset();
    await failsWith(s, 1, /CM object a:b:c is not recognized/, 'find', 'dataset', 'a:b:c');
    await failsWith(s, 1, /CM object a,b,c is not recognized/, 'find', 'dataset', 'a,b,c');
    await failsWith(s, 1, /CM object a:b:c is not recognized/, 'add', 'dataset', 'a:b:c');
    assert.deepEqual(listDir(s.local('dataset')), ['good']);
    s.cleanup();
  });

  test('a duplicate alias or uid on add gives rc 8 and keeps the existing artifact', async () => {
    const s = await withDataset();
    const uid = (await s.cm('load', 'dataset', 'good', '-j')).json().meta.uid;
    await failsWith(s, 8, /already exists/, 'add', 'dataset', 'good', '--tags=other');
    await failsWith(s, 8, /already exists/, 'add', 'dataset', `other,${uid}`);
    assert.deepEqual((await s.cm('load', 'dataset', 'good', '-j')).json().meta.tags, ['ok']);
    assert.deepEqual(listDir(s.local('dataset')), ['good']);
    s.cleanup();
  });

  test('@missing.json gives rc 16, @x.txt and @x.yml rc 1, a malformed @file rc 4 with its line', async () => {
    const s = await withDataset();
    await failsWith(s, 16, /File missing\.json not found/, 'find', 'dataset', '@missing.json');
    writeFileSync(join(s.dir, 'x.txt'), 'x');
    writeFileSync(join(s.dir, 'x.yml'), 'x: 1\n');
    writeFileSync(join(s.dir, 'bad.json'), '{\n"a": 1,\n"b": [1,,2]\n}\n');
    await failsWith(
      s,
      1,
      /file extension must be \.json or \.yaml in x\.txt/,
      'find',
      'dataset',
      '@x.txt',
    );
    await failsWith(s, 1, /file extension must be \.json or \.yaml in x\.yml/, 'find', '@x.yml');
    await failsWith(s, 4, /bad\.json:3: malformed JSON/, 'find', 'dataset', '@bad.json');
    s.cleanup();
  });

  test('flags that cannot be turned into an input dict give rc 1', async () => {
    const s = await withDataset();
    await failsWith(s, 1, /a list flag needs values/, 'find', 'dataset', '--tags,');
    await failsWith(s, 1, /already holds a value/, 'find', 'dataset', '--a=x', '--a.b=y');
    s.cleanup();
  });

  test('refused or failed writes leave the artifacts as they were', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'other');
    const before = listDir(s.local('dataset'));
    assert.equal((await s.cm('cp', 'dataset', 'good', 'other')).code, 1);
    assert.equal((await s.cm('mv', 'dataset', 'good', 'other')).code, 1);
    assert.equal((await s.cm('rm', 'dataset', 'good')).code, 1);
    assert.equal((await s.cm('add', 'dataset', 'good')).code, 8);
    assert.deepEqual(listDir(s.local('dataset')), before);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '-j')).sort(), ['good', 'other']);
    assert.deepEqual((await s.cm('load', 'dataset', 'good', '-j')).json().meta.tags, ['ok']);
    s.cleanup();
  });
});
