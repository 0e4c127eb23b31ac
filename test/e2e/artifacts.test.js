// End-to-end: the generic actions on a user automation, through the real CLI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliases, listDir, parallel, sandbox } from './helpers.js';

async function withDataset() {
  const s = sandbox();
  const r = await s.cm('add', 'automation', 'dataset');
  assert.equal(r.code, 0, r.stderr);
  return s;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

describe('artifacts', parallel, () => {
  test('add creates an artifact with alias, uid, automation and tags; adding the name again gives rc 8', async () => {
    const s = await withDataset();
    const r = await s.cm('add', 'dataset', 'my-ds', '--tags=a,b,c', '-j');
    assert.equal(r.code, 0, r.stderr);
    const meta = readJson(s.local('dataset', 'my-ds', '_cm.json'));
    assert.equal(meta.alias, 'my-ds');
    assert.match(meta.uid, /^[0-9a-f]{16}$/);
    assert.equal(meta.automation_alias, 'dataset');
    assert.equal(meta.automation_uid, readJson(s.local('automation', 'dataset', '_cm.json')).uid);
    assert.deepEqual(meta.tags, ['a', 'b', 'c']);
    assert.equal(r.json().path, s.local('dataset', 'my-ds'));
    const again = await s.cm('add', 'dataset', 'my-ds');
    assert.equal(again.code, 8);
    assert.match(again.stderr, /already exists/);
    assert.deepEqual(readJson(s.local('dataset', 'my-ds', '_cm.json')), meta);
    s.cleanup();
  });

  test('add with repo:alias,uid and --yaml writes _cm.yaml with that uid and literal minus tags', async () => {
    const s = await withDataset();
    const r = await s.cm(
      'add',
      'dataset',
      'local:my-ds2,1234567890abcdef',
      '--tags=x,-y',
      '--yaml',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(listDir(s.local('dataset', 'my-ds2')), ['_cm.yaml']);
    const text = readFileSync(s.local('dataset', 'my-ds2', '_cm.yaml'), 'utf8');
    assert.match(text, /uid: 1234567890abcdef/);
    assert.match(text, /- -y/);
    const other = await s.cm('add', 'dataset', 'internal2:my-ds3');
    assert.equal(other.code, 16);
    assert.match(other.stderr, /repository "internal2" not found/);
    assert.equal(existsSync(s.local('dataset', 'my-ds3')), false);
    s.cleanup();
  });

  test('find selects by tags, negative tags, wildcards, uid, alias,uid, repo:alias and several names', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'my-ds', '--tags=a,b,c');
    await s.cm('add', 'dataset', 'my-ds2,1234567890abcdef', '--tags=x');
    await s.cm('add', 'dataset', 'child1', '--tags=a');
    const find = async (...args) => aliases(await s.cm('find', 'dataset', ...args, '-j')).sort();
    assert.deepEqual(await find('--tags=a'), ['child1', 'my-ds']);
    assert.deepEqual(await find('--tags=a,-b'), ['child1']);
    assert.deepEqual(await find('--tags=a,b,c'), ['my-ds']);
    assert.deepEqual(await find('my-*'), ['my-ds', 'my-ds2']);
    assert.deepEqual(await find('c?ild1'), ['child1']);
    assert.deepEqual(await find('1234567890abcdef'), ['my-ds2']);
    assert.deepEqual(await find('my-ds2,1234567890abcdef'), ['my-ds2']);
    assert.deepEqual(await find('local:my-ds'), ['my-ds']);
    assert.deepEqual(await find('local:'), ['child1', 'my-ds', 'my-ds2']);
    assert.deepEqual(await find('internal:my-ds'), []);
    assert.deepEqual(await find('my-ds', 'child1'), ['child1', 'my-ds']);
    assert.deepEqual(await find('my-*', '--tags=a'), ['my-ds']);
    assert.deepEqual(await find('CHILD1'), ['child1']);
    assert.deepEqual(await find('FFFFFFFFFFFFFFFF'), []);
    assert.deepEqual(aliases(await s.cm('search', 'DATASET', 'Child1', '-j')), ['child1']);
    assert.deepEqual(aliases(await s.cm('list', 'data*', 'my-ds', '-j')), ['my-ds']);
    const plain = await s.cm('find', 'dataset', '--tags=x');
    assert.equal(plain.stdout, `${s.local('dataset', 'my-ds2')}\n`);
    const none = await s.cm('find', 'dataset', 'nothere');
    assert.equal(none.code, 0);
    assert.equal(none.stdout, '');
    s.cleanup();
  });

  test('a name given in the exact case means that artifact even when another differs only in case', async () => {
    const s = await withDataset();
    assert.equal((await s.cm('add', 'dataset', 'My-DS', '--tags=upper')).code, 0);
    assert.equal((await s.cm('add', 'dataset', 'my-ds', '--tags=lower')).code, 0);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', 'my-ds', '-j')), ['my-ds']);
    assert.deepEqual((await s.cm('load', 'dataset', 'My-DS', '-j')).json().meta.tags, ['upper']);
    // No exact match: case-insensitive, so both (and load cannot choose).
    assert.equal(aliases(await s.cm('find', 'dataset', 'MY-DS', '-j')).length, 2);
    assert.equal((await s.cm('load', 'dataset', 'MY-DS')).code, 1);
    assert.equal((await s.cm('rm', 'dataset', 'my-ds', '-f')).code, 0);
    assert.deepEqual(listDir(s.local('dataset')), ['My-DS']);
    s.cleanup();
  });

  test('load prints the sorted meta as JSON or YAML; -j gives the result dict', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'my-ds', '--tags=b,a');
    const r = await s.cm('load', 'dataset', 'my-ds');
    assert.equal(r.code, 0);
    const meta = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(meta), [
      'alias',
      'automation_alias',
      'automation_uid',
      'tags',
      'uid',
    ]);
    assert.match(r.stdout, /^\{\n {2}"alias": "my-ds",\n/);
    const y = await s.cm('load', 'dataset', 'my-ds', '--yaml');
    assert.match(y.stdout, /^alias: my-ds\nautomation_alias: dataset\n/);
    assert.match(y.stdout, /^tags:\n {2}- b\n {2}- a\n/m);
    const j = (await s.cm('load', 'dataset', 'my-ds', '--out=json')).json();
    assert.equal(j.return, 0);
    assert.equal(j.path, s.local('dataset', 'my-ds'));
    assert.deepEqual(j.meta, meta);
    s.cleanup();
  });

  test('update merges meta and tags, replaces lists on request, and creates a missing artifact', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'my-ds', '--tags=a,b,c', '--meta.deps,=x', '--meta.d.k1=1');
    const u = await s.cm(
      'update',
      'dataset',
      'my-ds',
      '--meta.newkey=newval',
      '--meta.deps,=y',
      '--meta.d.k2=2',
      '--tags=d,-b',
    );
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stderr, /^Updated .*my-ds\/_cm\.json$/m);
    let meta = (await s.cm('load', 'dataset', 'my-ds', '-j')).json().meta;
    assert.equal(meta.newkey, 'newval');
    assert.deepEqual(meta.deps, ['x', 'y']);
    assert.deepEqual(meta.d, { k1: '1', k2: '2' });
    assert.deepEqual(meta.tags, ['a', 'c', 'd']);
    await s.cm('update', 'dataset', 'my-ds', '--meta.tags,=z', '--replace_lists');
    meta = (await s.cm('load', 'dataset', 'my-ds', '-j')).json().meta;
    assert.deepEqual(meta.tags, ['z']);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=z', '-j')), ['my-ds']);
    const created = await s.cm('update', 'dataset', 'brand-new', '--meta.k=v');
    assert.equal(created.code, 0);
    assert.match(created.stderr, /Added CM object/);
    assert.equal((await s.cm('load', 'dataset', 'brand-new', '-j')).json().meta.k, 'v');
    s.cleanup();
  });

  test('update keeps a YAML-only artifact in YAML', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'y', '--yaml', '--tags=a');
    assert.equal((await s.cm('update', 'dataset', 'y', '--meta.k=v')).code, 0);
    assert.deepEqual(listDir(s.local('dataset', 'y')), ['_cm.yaml']);
    assert.match(readFileSync(s.local('dataset', 'y', '_cm.yaml'), 'utf8'), /k: v/);
    s.cleanup();
  });

  test('update of several artifacts needs -f without a terminal, then updates them all', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'w1', '--tags=w');
    await s.cm('add', 'dataset', 'w2', '--tags=w');
    const refused = await s.cm('update', 'dataset', 'w*', '--meta.k=v');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /2 artifacts match/);
    assert.equal((await s.cm('load', 'dataset', 'w1', '-j')).json().meta.k, undefined);
    const r = await s.cm('update', 'dataset', '--search_tags=w', '--meta.k=v', '-f', '-j');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().list.length, 2);
    for (const a of ['w1', 'w2'])
      assert.equal((await s.cm('load', 'dataset', a, '-j')).json().meta.k, 'v');
    s.cleanup();
  });

  test('cp copies the files with a new uid and the target alias; mv keeps the uid', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'my-ds', '--tags=a', '--yaml');
    writeFileSync(s.local('dataset', 'my-ds', 'data.txt'), 'payload');
    const src = (await s.cm('load', 'dataset', 'my-ds', '-j')).json().meta;
    const cp = await s.cm('cp', 'dataset', 'my-ds', 'my-ds-copy', '--new_tags=copied');
    assert.equal(cp.code, 0, cp.stderr);
    assert.equal(readFileSync(s.local('dataset', 'my-ds-copy', 'data.txt'), 'utf8'), 'payload');
    const copy = (await s.cm('load', 'dataset', 'my-ds-copy', '-j')).json().meta;
    assert.equal(copy.alias, 'my-ds-copy');
    assert.notEqual(copy.uid, src.uid);
    assert.deepEqual(copy.tags, ['a', 'copied']);
    assert.deepEqual((await s.cm('load', 'dataset', 'my-ds', '-j')).json().meta, src);
    const mv = await s.cm('mv', 'dataset', 'my-ds-copy', 'my-ds-moved');
    assert.equal(mv.code, 0, mv.stderr);
    assert.equal(existsSync(s.local('dataset', 'my-ds-copy')), false);
    assert.equal(readFileSync(s.local('dataset', 'my-ds-moved', 'data.txt'), 'utf8'), 'payload');
    const moved = (await s.cm('load', 'dataset', 'my-ds-moved', '-j')).json().meta;
    assert.equal(moved.uid, copy.uid);
    assert.equal(moved.alias, 'my-ds-moved');
    assert.deepEqual(aliases(await s.cm('find', 'dataset', 'my-ds-copy', '-j')), []);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', copy.uid, '-j')), ['my-ds-moved']);
    s.cleanup();
  });

  test('mv or cp onto an existing target is refused and nothing moves', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'one', '--tags=1');
    await s.cm('add', 'dataset', 'two', '--tags=2');
    const before = listDir(s.local('dataset'));
    const metaOne = readFileSync(s.local('dataset', 'one', '_cm.json'), 'utf8');
    const clash = await s.cm('mv', 'dataset', 'one', 'two');
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /target artifact \(directory\) already exists/);
    assert.equal((await s.cm('cp', 'dataset', 'one', 'two')).code, 1);
    assert.deepEqual(listDir(s.local('dataset')), before);
    assert.equal(readFileSync(s.local('dataset', 'one', '_cm.json'), 'utf8'), metaOne);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=1', '-j')), ['one']);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=2', '-j')), ['two']);
    s.cleanup();
  });

  test('info prints the CIDs, the path and the files', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'my-ds,1111222233334444');
    const auid = readJson(s.local('automation', 'dataset', '_cm.json')).uid;
    const r = await s.cm('info', 'dataset', 'my-ds');
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^CID = dataset,${auid}::my-ds,1111222233334444$`, 'm'));
    assert.match(r.stdout, new RegExp(`^CID1 = ${auid}::1111222233334444$`, 'm'));
    assert.match(r.stdout, /^CID2 = \(dataset,[0-9a-f]{16}::my-ds,1111222233334444\)$/m);
    assert.ok(r.stdout.includes(`Path = ${s.local('dataset', 'my-ds')}\n`));
    assert.match(r.stdout, /^ {2}Files:\n {4}_cm\.json$/m);
    s.cleanup();
  });

  test('rm refuses without -f when stdin is not a terminal, deletes with -f, and deletes every wildcard match', async () => {
    const s = await withDataset();
    for (const a of ['my-a', 'my-b', 'keep']) await s.cm('add', 'dataset', a);
    const refused = await s.cm('rm', 'dataset', 'my-a');
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.match(
      refused.stderr,
      /refusing to delete 1 artifact\(s\) without confirmation: stdin is not a terminal/,
    );
    assert.match(refused.stderr, /-f/);
    assert.ok(existsSync(s.local('dataset', 'my-a', '_cm.json')));
    const one = await s.cm('rm', 'dataset', 'my-a', '-f');
    assert.equal(one.code, 0);
    assert.match(one.stderr, /Deleted CM artifact in .*my-a/);
    await s.cm('add', 'dataset', 'my-c');
    assert.equal((await s.cm('rm', 'dataset', 'my-*', '--force')).code, 0);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '-j')), ['keep']);
    const missing = await s.cm('rm', 'dataset', 'nothere', '-f');
    assert.equal(missing.code, 16);
    assert.deepEqual(listDir(s.local('dataset')), ['keep']);
    s.cleanup();
  });

  test('_base inheritance appends lists and deep-merges dicts; tags are inherited in queries', async () => {
    const s = await withDataset();
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
    const meta = (await s.cm('load', 'dataset', 'child1', '-j')).json().meta;
    assert.deepEqual(meta.tags, ['b1', 'shared', 'c1', 'shared']);
    assert.deepEqual(meta.d, { x: 1, y: 3, z: 4 });
    assert.equal(meta.alias, 'child1');
    assert.equal(meta.uid, '3333333333333333');
    assert.equal(meta._base, undefined);
    const raw = (await s.cm('load', 'dataset', 'child1', '--ignore_inheritance', '-j')).json().meta;
    assert.equal(raw._base, 'dataset::base1');
    assert.deepEqual(raw.tags, ['c1', 'shared']);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=b1', '-j')).sort(), [
      'base1',
      'child1',
    ]);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=b1,c1', '-j')), ['child1']);
    s.cleanup();
  });

  test('an edit of the base by hand changes what its children inherit in the next query', async () => {
    const s = await withDataset();
    s.write(
      {
        base1: { '_cm.yaml': 'alias: base1\ntags: [b1]\n' },
        child1: { '_cm.yaml': 'alias: child1\n_base: base1\ntags: [c1]\n' },
      },
      s.local('dataset'),
    );
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=b1', '-j')).sort(), [
      'base1',
      'child1',
    ]);
    writeFileSync(s.local('dataset', 'base1', '_cm.yaml'), 'alias: base1\ntags: [b2]\n');
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=b2', '-j')).sort(), [
      'base1',
      'child1',
    ]);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=b1', '-j')), []);
    s.cleanup();
  });

  test('with both _cm.yaml and _cm.json, JSON keys win and lists are not merged', async () => {
    const s = await withDataset();
    s.write(
      {
        both: {
          '_cm.yaml': 'alias: both\nlst: [y]\nonly_yaml: 1\ntags: [t]\nd: {a: 1}\n',
          '_cm.json': '{"lst": ["j"], "uid": "4444444444444444", "d": {"b": 2}}',
        },
      },
      s.local('dataset'),
    );
    const meta = (await s.cm('load', 'dataset', 'both', '-j')).json().meta;
    assert.deepEqual(meta.lst, ['j']);
    assert.deepEqual(meta.d, { b: 2 });
    assert.equal(meta.only_yaml, 1);
    assert.deepEqual(meta.tags, ['t']);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '4444444444444444', '-j')), ['both']);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=t', '-j')), ['both']);
    s.cleanup();
  });

  test('the index reflects artifacts added, edited in place, renamed and deleted by hand', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'one', '--tags=old', '--yaml');
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=old', '-j')), ['one']);
    const file = s.local('dataset', 'one', '_cm.yaml');
    // In place (same inode, same folder mtime), same length: only the file's mtime tells.
    writeFileSync(file, readFileSync(file, 'utf8').replace('- old', '- new'));
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=new', '-j')), ['one']);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=old', '-j')), []);
    s.write(
      { two: { '_cm.json': '{"alias": "two", "uid": "5555555555555555", "tags": ["hand"]}' } },
      s.local('dataset'),
    );
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=hand', '-j')), ['two']);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', 'two', '-j')), ['two']);
    // The folder name is not the alias: a renamed folder keeps its alias, under a new path.
    renameSync(s.local('dataset', 'two'), s.local('dataset', 'two-dir'));
    const found = (await s.cm('find', 'dataset', 'two', '-j')).json().list;
    assert.deepEqual(
      found.map((e) => e.path),
      [s.local('dataset', 'two-dir')],
    );
    rmSync(s.local('dataset', 'one'), { recursive: true });
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '-j')), ['two']);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=new', '-j')), []);
    assert.equal((await s.cm('load', 'dataset', 'one')).code, 16);
    s.cleanup();
  });

  test('with CM_INDEX=no every action works from the folders and no index is written', async () => {
    const s = sandbox();
    const noIndex = (...args) => s.cmWith({ CM_INDEX: 'no' }, ...args);
    assert.equal((await noIndex('add', 'automation', 'dataset')).code, 0);
    assert.equal((await noIndex('add', 'dataset', 'x', '--tags=a')).code, 0);
    assert.equal((await noIndex('update', 'dataset', 'x', '--tags=b')).code, 0);
    assert.deepEqual(aliases(await noIndex('find', 'dataset', '--tags=a,b', '-j')), ['x']);
    assert.equal((await noIndex('cp', 'dataset', 'x', 'y')).code, 0);
    assert.deepEqual(
      listDir(s.home).filter((n) => n.includes('index')),
      [],
    );
    // The persistent index built afterwards agrees, and sees a delete made without it.
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=a', '-j')).sort(), ['x', 'y']);
    assert.equal((await noIndex('rm', 'dataset', 'y', '-f')).code, 0);
    assert.deepEqual(aliases(await s.cm('find', 'dataset', '--tags=a', '-j')), ['x']);
    s.cleanup();
  });

  test('parallel adds of different names all succeed; parallel adds of one name give one success and rc 8', async () => {
    const s = await withDataset();
    const many = await Promise.all(
      Array.from({ length: 8 }, (_, i) => s.cm('add', 'dataset', `p${i}`, `--tags=par,n${i}`)),
    );
    assert.deepEqual(
      many.map((r) => r.code),
      Array(8).fill(0),
      many.map((r) => r.stderr).join(''),
    );
    assert.equal(aliases(await s.cm('find', 'dataset', '--tags=par', '-j')).length, 8);
    for (let i = 0; i < 8; i++)
      assert.deepEqual(aliases(await s.cm('find', 'dataset', `--tags=n${i}`, '-j')), [`p${i}`]);
    const same = await Promise.all(Array.from({ length: 4 }, () => s.cm('add', 'dataset', 'race')));
    assert.deepEqual(same.map((r) => r.code).sort(), [0, 8, 8, 8]);
    for (const r of same.filter((x) => x.code === 8)) assert.match(r.stderr, /already exists/);
    assert.deepEqual(
      listDir(s.local('dataset')).filter((n) => n.startsWith('.')),
      [],
    );
    s.cleanup();
  });

  test('parallel updates of one artifact keep every key', async () => {
    const s = await withDataset();
    await s.cm('add', 'dataset', 'shared');
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    for (let round = 0; round < 2; round++) {
      const rs = await Promise.all(
        keys.map((k) => s.cm('update', 'dataset', 'shared', `--meta.${k}${round}=v`)),
      );
      assert.deepEqual(
        rs.map((r) => r.code),
        Array(keys.length).fill(0),
      );
    }
    const meta = (await s.cm('load', 'dataset', 'shared', '-j')).json().meta;
    const missing = keys.flatMap((k) => [`${k}0`, `${k}1`]).filter((k) => !(k in meta));
    assert.deepEqual(missing, []);
    s.cleanup();
  });

  test('cp --new_tags of an artifact with both _cm.yaml and _cm.json keeps the tags from the YAML', async () => {
    const s = await withDataset();
    s.write(
      {
        both: {
          '_cm.yaml': 'alias: both\ntags: [t]\n',
          '_cm.json': '{"uid": "4444444444444444"}',
        },
      },
      s.local('dataset'),
    );
    assert.equal((await s.cm('cp', 'dataset', 'both', 'both2', '--new_tags=copied')).code, 0);
    const meta = (await s.cm('load', 'dataset', 'both2', '-j')).json().meta;
    assert.deepEqual(meta.tags, ['t', 'copied']);
    s.cleanup();
  });
});
