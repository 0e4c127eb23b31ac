// End-to-end: the generic actions on a user automation, through the real CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliases, sandbox } from './helpers.js';

function withDataset() {
  const s = sandbox();
  assert.equal(s.cm('add', 'automation', 'dataset').code, 0);
  return s;
}

test('add creates an artifact with alias, uid, automation and tags; a second add of the name gives rc 8', () => {
  const s = withDataset();
  const r = s.cm('add', 'dataset', 'my-ds', '--tags=a,b,c', '-j');
  assert.equal(r.code, 0, r.stderr);
  const meta = JSON.parse(readFileSync(s.local('dataset', 'my-ds', '_cm.json'), 'utf8'));
  assert.equal(meta.alias, 'my-ds');
  assert.match(meta.uid, /^[0-9a-f]{16}$/);
  assert.equal(meta.automation_alias, 'dataset');
  assert.equal(
    meta.automation_uid,
    JSON.parse(readFileSync(s.local('automation', 'dataset', '_cm.json'), 'utf8')).uid,
  );
  assert.deepEqual(meta.tags, ['a', 'b', 'c']);
  assert.equal(r.json().path, s.local('dataset', 'my-ds'));
  const again = s.cm('add', 'dataset', 'my-ds');
  assert.equal(again.code, 8);
  assert.match(again.stderr, /already exists/);
  s.cleanup();
});

test('add with repo:alias,uid and --yaml writes _cm.yaml with the given uid and literal minus tags', () => {
  const s = withDataset();
  assert.equal(
    s.cm('add', 'dataset', 'local:my-ds2,1234567890abcdef', '--tags=x,-y', '--yaml').code,
    0,
  );
  const text = readFileSync(s.local('dataset', 'my-ds2', '_cm.yaml'), 'utf8');
  assert.match(text, /uid: 1234567890abcdef/);
  assert.match(text, /- -y/);
  const r = s.cm('add', 'dataset', 'internal2:my-ds3');
  assert.equal(r.code, 16);
  assert.match(r.stderr, /repository "internal2" not found/);
  s.cleanup();
});

test('find selects by tags, negative tags, wildcards, uid, alias,uid, repo:alias and several names', () => {
  const s = withDataset();
  s.cm('add', 'dataset', 'my-ds', '--tags=a,b,c');
  s.cm('add', 'dataset', 'my-ds2,1234567890abcdef', '--tags=x');
  s.cm('add', 'dataset', 'child1', '--tags=a');
  assert.deepEqual(aliases(s.cm('find', 'dataset', '--tags=a', '-j')).sort(), ['child1', 'my-ds']);
  assert.deepEqual(aliases(s.cm('find', 'dataset', '--tags=a,-b', '-j')), ['child1']);
  assert.deepEqual(aliases(s.cm('find', 'dataset', 'my-*', '-j')).sort(), ['my-ds', 'my-ds2']);
  assert.deepEqual(aliases(s.cm('find', 'dataset', 'c?ild1', '-j')), ['child1']);
  assert.deepEqual(aliases(s.cm('find', 'dataset', '1234567890abcdef', '-j')), ['my-ds2']);
  assert.deepEqual(aliases(s.cm('find', 'dataset', 'my-ds2,1234567890abcdef', '-j')), ['my-ds2']);
  assert.deepEqual(aliases(s.cm('find', 'dataset', 'local:my-ds', '-j')), ['my-ds']);
  assert.deepEqual(aliases(s.cm('find', 'dataset', 'internal:my-ds', '-j')), []);
  assert.deepEqual(aliases(s.cm('ls', 'dataset', 'my-ds', 'child1', '-j')).sort(), [
    'child1',
    'my-ds',
  ]);
  assert.deepEqual(aliases(s.cm('search', 'DATASET', 'CHILD1', '-j')), ['child1']);
  const plain = s.cm('find', 'dataset', '--tags=x');
  assert.equal(plain.stdout, `${s.local('dataset', 'my-ds2')}\n`);
  const none = s.cm('find', 'dataset', 'nothere');
  assert.equal(none.code, 0);
  assert.equal(none.stdout, '');
  assert.deepEqual(aliases(s.cm('find', 'data*', 'my-ds', '-j')), ['my-ds']);
  s.cleanup();
});

test('load prints the sorted meta as JSON or YAML; --out=json gives the result dict', () => {
  const s = withDataset();
  s.cm('add', 'dataset', 'my-ds', '--tags=b,a');
  const r = s.cm('load', 'dataset', 'my-ds');
  assert.equal(r.code, 0);
  const meta = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(meta), [
    'alias',
    'automation_alias',
    'automation_uid',
    'tags',
    'uid',
  ]);
  assert.match(s.cm('load', 'dataset', 'my-ds', '--yaml').stdout, /^alias: my-ds\n/);
  const j = s.cm('load', 'dataset', 'my-ds', '--out=json').json();
  assert.equal(j.return, 0);
  assert.equal(j.path, s.local('dataset', 'my-ds'));
  assert.deepEqual(j.meta.tags, ['b', 'a']);
  s.cleanup();
});

test('update merges meta and tags, replaces lists on request, and creates a missing artifact', () => {
  const s = withDataset();
  s.cm('add', 'dataset', 'my-ds', '--tags=a,b,c', '--meta.deps,=x');
  assert.equal(
    s.cm('update', 'dataset', 'my-ds', '--meta.newkey=newval', '--meta.deps,=y', '--tags=d,-b')
      .code,
    0,
  );
  let meta = s.cm('load', 'dataset', 'my-ds', '-j').json().meta;
  assert.equal(meta.newkey, 'newval');
  assert.deepEqual(meta.deps, ['x', 'y']);
  assert.deepEqual(meta.tags, ['a', 'c', 'd']);
  assert.equal(s.cm('update', 'dataset', 'my-ds', '--meta.tags,=z', '--replace_lists').code, 0);
  meta = s.cm('load', 'dataset', 'my-ds', '-j').json().meta;
  assert.deepEqual(meta.tags, ['z']);
  const created = s.cm('update', 'dataset', 'brand-new', '--meta.k=v');
  assert.equal(created.code, 0);
  assert.match(created.stderr, /Added CM object/);
  assert.equal(s.cm('load', 'dataset', 'brand-new', '-j').json().meta.k, 'v');
  s.cleanup();
});

test('update keeps a YAML-only artifact in YAML', () => {
  const s = withDataset();
  s.cm('add', 'dataset', 'y', '--yaml', '--tags=a');
  assert.equal(s.cm('update', 'dataset', 'y', '--meta.k=v').code, 0);
  assert.deepEqual(readdirSync(s.local('dataset', 'y')), ['_cm.yaml']);
  assert.match(readFileSync(s.local('dataset', 'y', '_cm.yaml'), 'utf8'), /k: v/);
  s.cleanup();
});

test('cp gives a new uid and the target alias; mv keeps the uid; mv onto an existing target changes nothing', () => {
  const s = withDataset();
  s.cm('add', 'dataset', 'my-ds', '--tags=a', '--yaml');
  const src = s.cm('load', 'dataset', 'my-ds', '-j').json().meta;
  assert.equal(s.cm('cp', 'dataset', 'my-ds', 'my-ds-copy', '--new_tags=copied').code, 0);
  const copy = s.cm('load', 'dataset', 'my-ds-copy', '-j').json().meta;
  assert.equal(copy.alias, 'my-ds-copy');
  assert.notEqual(copy.uid, src.uid);
  assert.deepEqual(copy.tags, ['a', 'copied']);
  assert.equal(s.cm('mv', 'dataset', 'my-ds-copy', 'my-ds-moved').code, 0);
  const moved = s.cm('load', 'dataset', 'my-ds-moved', '-j').json().meta;
  assert.equal(moved.uid, copy.uid);
  assert.equal(moved.alias, 'my-ds-moved');
  assert.deepEqual(aliases(s.cm('find', 'dataset', 'my-ds-copy', '-j')), []);
  const clash = s.cm('mv', 'dataset', 'my-ds-moved', 'my-ds');
  assert.equal(clash.code, 1);
  assert.match(clash.stderr, /already exists/);
  assert.ok(existsSync(s.local('dataset', 'my-ds-moved', '_cm.yaml')));
  assert.deepEqual(aliases(s.cm('find', 'dataset', 'my-ds-moved', '-j')), ['my-ds-moved']);
  assert.equal(s.cm('cp', 'dataset', 'my-ds', 'my-ds-moved').code, 1);
  s.cleanup();
});

test('info prints the CIDs, path and files', () => {
  const s = withDataset();
  s.cm('add', 'dataset', 'my-ds,1111222233334444');
  const r = s.cm('info', 'dataset', 'my-ds');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^CID = dataset,[0-9a-f]{16}::my-ds,1111222233334444$/m);
  assert.match(r.stdout, /^CID1 = [0-9a-f]{16}::1111222233334444$/m);
  assert.match(r.stdout, /^ {4}_cm\.json$/m);
  s.cleanup();
});

test('rm needs -f without a terminal, deletes with -f, and deletes every wildcard match', () => {
  const s = withDataset();
  s.cm('add', 'dataset', 'my-a');
  s.cm('add', 'dataset', 'my-b');
  s.cm('add', 'dataset', 'keep');
  const refused = s.cm('rm', 'dataset', 'my-a');
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /refusing to delete 1 artifact\(s\) without confirmation: stdin is not a terminal/,
  );
  assert.ok(existsSync(s.local('dataset', 'my-a')));
  assert.equal(s.cm('rm', 'dataset', 'my-*', '-f').code, 0);
  assert.deepEqual(aliases(s.cm('find', 'dataset', '-j')), ['keep']);
  const missing = s.cm('rm', 'dataset', 'nothere', '-f');
  assert.equal(missing.code, 16);
  assert.deepEqual(readdirSync(s.local('dataset')), ['keep']);
  s.cleanup();
});

test('_base inheritance appends lists and deep-merges dicts; tags are inherited in queries', () => {
  const s = withDataset();
  s.write({ [s.local('dataset')]: {} });
  s.write(
    {
      base1: {
        '_cm.yaml':
          'alias: base1\nuid: "2222222222222222"\nautomation_alias: dataset\ntags: [b1, shared]\nd: {x: 1, y: 2}\n',
      },
      child1: {
        '_cm.yaml':
          'alias: child1\nuid: "3333333333333333"\nautomation_alias: dataset\n_base: dataset::base1\ntags: [c1, shared]\nd: {y: 3, z: 4}\n',
      },
    },
    s.local('dataset'),
  );
  const meta = s.cm('load', 'dataset', 'child1', '-j').json().meta;
  assert.deepEqual(meta.tags, ['b1', 'shared', 'c1', 'shared']);
  assert.deepEqual(meta.d, { x: 1, y: 3, z: 4 });
  assert.equal(meta._base, undefined);
  assert.equal(
    s.cm('load', 'dataset', 'child1', '--ignore_inheritance', '-j').json().meta._base,
    'dataset::base1',
  );
  assert.deepEqual(aliases(s.cm('find', 'dataset', '--tags=b1', '-j')), ['base1', 'child1']);
  s.cleanup();
});

test('with both _cm.yaml and _cm.json, JSON keys win and lists are not merged', () => {
  const s = withDataset();
  s.write(
    {
      both: {
        '_cm.yaml': 'alias: both\nlst: [y]\nonly_yaml: 1\ntags: [t]\n',
        '_cm.json': '{"lst": ["j"], "uid": "4444444444444444"}',
      },
    },
    s.local('dataset'),
  );
  const meta = s.cm('load', 'dataset', 'both', '-j').json().meta;
  assert.deepEqual(meta.lst, ['j']);
  assert.equal(meta.only_yaml, 1);
  assert.deepEqual(aliases(s.cm('find', 'dataset', '4444444444444444', '-j')), ['both']);
  s.cleanup();
});

test('the index reflects artifacts added, edited in place and deleted by hand', () => {
  const s = withDataset();
  s.cm('add', 'dataset', 'one', '--tags=old', '--yaml');
  assert.deepEqual(aliases(s.cm('find', 'dataset', '--tags=old', '-j')), ['one']);
  const file = s.local('dataset', 'one', '_cm.yaml');
  // In place (same inode, same folder mtime), same length: only the file's mtime tells.
  writeFileSync(file, readFileSync(file, 'utf8').replace('- old', '- new'));
  assert.deepEqual(aliases(s.cm('find', 'dataset', '--tags=new', '-j')), ['one']);
  assert.deepEqual(aliases(s.cm('find', 'dataset', '--tags=old', '-j')), []);
  s.write(
    { two: { '_cm.json': '{"alias": "two", "uid": "5555555555555555", "tags": ["hand"]}' } },
    s.local('dataset'),
  );
  assert.deepEqual(aliases(s.cm('find', 'dataset', '--tags=hand', '-j')), ['two']);
  rmSync(s.local('dataset', 'one'), { recursive: true });
  assert.deepEqual(aliases(s.cm('find', 'dataset', '-j')), ['two']);
  assert.deepEqual(aliases(s.cmWith({ CM_INDEX: 'no' }, 'find', 'dataset', '--tags=hand', '-j')), [
    'two',
  ]);
  s.cleanup();
});

test('parallel adds of different names all succeed; parallel adds of one name give one success and rc 8', async () => {
  const s = withDataset();
  const many = await Promise.all(
    Array.from({ length: 8 }, (_, i) => s.spawnCm('add', 'dataset', `p${i}`, `--tags=par,n${i}`)),
  );
  assert.deepEqual(
    many.map((r) => r.code),
    Array(8).fill(0),
  );
  assert.equal(aliases(s.cm('find', 'dataset', '--tags=par', '-j')).length, 8);
  const same = await Promise.all(
    Array.from({ length: 4 }, () => s.spawnCm('add', 'dataset', 'race')),
  );
  assert.deepEqual(same.map((r) => r.code).sort(), [0, 8, 8, 8]);
  assert.deepEqual(
    readdirSync(s.local('dataset')).filter((n) => n.startsWith('.')),
    [],
  );
  s.cleanup();
});
