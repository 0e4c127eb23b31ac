import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CmEvent } from '../core/events.js';
import { ArtifactIndex } from './artifact-index.js';
import type { ArtifactQuery } from './search.js';
import { homePaths } from './home.js';
import { writeTree } from './file-tree.js';

function setup(): { dir: string; make: (events?: CmEvent[]) => ArtifactIndex } {
  const dir = mkdtempSync(join(tmpdir(), 'cm-index-'));
  writeTree(dir, {
    internal: { 'cmr.json': '{"alias":"internal","uid":"36b263b05174aef9"}' },
    other: {
      'cmr.yaml': 'alias: other\nuid: "1111111111111111"\nprefix: repo\n',
      repo: {
        dataset: {
          base1: {
            '_cm.yaml':
              'alias: base1\nuid: "2222222222222222"\nautomation_alias: dataset\nautomation_uid: "3333333333333333"\ntags: [b1, shared]\n',
          },
          child1: {
            '_cm.json': JSON.stringify({
              alias: 'child1',
              uid: '4444444444444444',
              automation_alias: 'dataset',
              automation_uid: '3333333333333333',
              tags: ['c1'],
              _base: 'base1',
            }),
          },
        },
      },
    },
    home: { 'repos.json': JSON.stringify([join(dir, 'other')]) },
  });
  const make = (events: CmEvent[] = []): ArtifactIndex =>
    new ArtifactIndex({
      paths: homePaths(join(dir, 'home')),
      internalRepoPath: join(dir, 'internal'),
      emit: (e) => events.push(e),
      persistent: true,
    });
  return { dir, make };
}

test('lists repos in search order and finds artifacts under a repo prefix with inherited tags', () => {
  const { dir, make } = setup();
  const index = make();
  assert.deepEqual(
    index.repos().map((r) => r.alias),
    ['local', 'internal', 'other'],
  );
  const child = index.entries().find((e) => e.alias === 'child1');
  assert.deepEqual(child?.tags, ['b1', 'shared', 'c1']);
  assert.equal(child?.repo.alias, 'other');
  rmSync(dir, { recursive: true, force: true });
});

test('persists itself and picks up edits, additions and removals made by hand', () => {
  const { dir, make } = setup();
  const first = make();
  const cwd = process.cwd();
  first.entries();
  assert.equal(process.cwd(), cwd, 'the freshness check gives the working folder back');
  writeFileSync(join(dir, 'home', 'index-ts.json'), '{"format":"cm-ts-index/8"}');
  first.save();
  assert.ok(existsSync(join(dir, 'home', 'index-ts.bin')));
  assert.equal(existsSync(join(dir, 'home', 'index-ts.json')), false, 'the old JSON index is gone');
  const base = join(dir, 'other', 'repo', 'dataset', 'base1', '_cm.yaml');
  writeFileSync(base, readFileSync(base, 'utf8').replace('[b1, shared]', '[b2]'));
  writeTree(join(dir, 'other', 'repo', 'dataset'), {
    fresh: {
      '_cm.json':
        '{"alias":"fresh","uid":"5555555555555555","automation_uid":"3333333333333333","tags":["new"]}',
    },
  });
  rmSync(join(dir, 'other', 'repo', 'dataset', 'child1'), { recursive: true });
  const second = make();
  const byAlias = new Map(second.entries().map((e) => [e.alias, e]));
  assert.deepEqual(byAlias.get('base1')?.tags, ['b2']);
  assert.deepEqual(byAlias.get('fresh')?.tags, ['new']);
  assert.equal(byAlias.has('child1'), false);
  rmSync(dir, { recursive: true, force: true });
});

test('keeps a broken meta as an error entry and warns about a broken repo meta', () => {
  const { dir, make } = setup();
  writeTree(dir, {
    other: { repo: { dataset: { broken: { '_cm.yaml': 'alias: broken\ntags: [a\n' } } } },
  });
  writeTree(dir, { bad: { 'cmr.yaml': 'uid: "1111111111111112"\n' } });
  writeFileSync(
    join(dir, 'home', 'repos.json'),
    JSON.stringify([join(dir, 'other'), join(dir, 'bad')]),
  );
  const events: CmEvent[] = [];
  const index = make(events);
  const broken = index.entries().find((e) => e.alias === 'broken');
  assert.match(broken?.error ?? '', /_cm\.yaml:\d+: malformed YAML/);
  assert.ok(
    events.some(
      (e) => e.type === 'warning' && /cmr\.yaml: alias must be a non-empty string/.test(e.text),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
});

test('sees an artifact added by hand right after a query, within the same clock tick', () => {
  const { dir, make } = setup();
  for (let round = 0; round < 5; round++) {
    const first = make();
    first.entries();
    first.save();
    writeTree(join(dir, 'other', 'repo', 'dataset'), {
      [`quick${round}`]: { '_cm.yaml': `alias: quick${round}\ntags: [q${round}]\n` },
    });
    const again = make();
    assert.ok(
      again.entries().some((e) => e.alias === `quick${round}` && e.tags.includes(`q${round}`)),
      `round ${round}`,
    );
    again.save();
  }
  rmSync(dir, { recursive: true, force: true });
});

test('answers queries from stored records exactly as a filter over all entries', () => {
  const { dir, make } = setup();
  const index = make();
  const auto = { alias: 'dataset', uid: '3333333333333333' };
  const all = index.entries();
  const fresh = make();
  assert.deepEqual(
    fresh
      .query({ automation: auto, tags: { include: ['shared'], exclude: [] } })
      .map((e) => e.alias),
    all.filter((e) => e.tags.includes('shared')).map((e) => e.alias),
  );
  assert.deepEqual(
    fresh.query({ refs: [{ artifact: { alias: 'CHILD1' } }] }).map((e) => e.alias),
    ['child1'],
  );
  assert.deepEqual(
    fresh.query({ refs: [{ artifact: { uid: '2222222222222222' } }] }).map((e) => e.alias),
    ['base1'],
  );
  assert.deepEqual(
    fresh.query({ refs: [{ artifact: { alias: 'c?ild*' } }] }).map((e) => e.alias),
    ['child1'],
  );
  assert.deepEqual(
    fresh
      .query({ automation: auto, tags: { include: ['b1'], exclude: ['c1'] } })
      .map((e) => e.alias),
    ['base1'],
  );
  rmSync(dir, { recursive: true, force: true });
});

/** The index built and written (a new one is only built by its first query). */
function saved(index: ArtifactIndex): void {
  index.entries();
  index.save();
}

/** Date metas back, so that the index trusts their stamps (a time too recent is not recorded). */
function age(dir: string, ...files: string[]): void {
  const past = new Date(Date.now() - 60_000);
  for (const f of files) utimesSync(join(dir, 'other', 'repo', 'dataset', f), past, past);
}

test('sees a meta edited in place to the same size, a meta removed and a folder renamed', () => {
  const { dir, make } = setup();
  age(dir, 'base1/_cm.yaml', 'child1/_cm.json');
  const first = make();
  assert.deepEqual(first.entries().find((e) => e.alias === 'base1')?.tags, ['b1', 'shared']);
  first.save();
  const data = join(dir, 'other', 'repo', 'dataset');
  const base = join(data, 'base1', '_cm.yaml');
  writeFileSync(base, readFileSync(base, 'utf8').replace('[b1, shared]', '[b9, shared]'));
  const second = make();
  assert.deepEqual(second.entries().find((e) => e.alias === 'base1')?.tags, ['b9', 'shared']);
  second.save();
  rmSync(join(data, 'child1', '_cm.json'));
  renameSync(join(data, 'base1'), join(data, 'base2'));
  const third = make();
  assert.deepEqual(
    third.entries().map((e) => e.path.slice(data.length + 1)),
    ['base2'],
  );
  rmSync(dir, { recursive: true, force: true });
});

test('finds by alias in any case, by uid, and an artifact that names another automation', () => {
  const { dir, make } = setup();
  // Without `_base` in the folder, queries search its records' text.
  rmSync(join(dir, 'other', 'repo', 'dataset', 'child1'), { recursive: true });
  writeTree(join(dir, 'other', 'repo', 'dataset'), {
    // Folder names unlike the aliases: only the aliases can match.
    u1: { '_cm.json': '{"alias":"My-DS","uid":"6666666666666666","tags":["u"]}' },
    k1: { '_cm.json': '{"alias":"\u212aelvin","tags":["k"]}' },
    stray: {
      '_cm.json':
        '{"alias":"stray","automation_alias":"model","automation_uid":"7777777777777777"}',
    },
  });
  saved(make());
  const index = make();
  const byName = (alias: string): string[] =>
    index.query({ refs: [{ artifact: { alias } }] }).map((e) => e.alias);
  assert.deepEqual(byName('my-ds'), ['My-DS']);
  assert.deepEqual(byName('MY-DS'), ['My-DS']);
  assert.deepEqual(byName('kelvin'), ['\u212aelvin']);
  assert.deepEqual(byName('nothere'), []);
  assert.deepEqual(
    index.query({ refs: [{ artifact: { uid: '6666666666666666' } }] }).map((e) => e.alias),
    ['My-DS'],
  );
  const model = { alias: 'model', uid: '7777777777777777' };
  assert.deepEqual(
    index.query({ automation: model }).map((e) => e.alias),
    ['stray'],
  );
  assert.deepEqual(
    index
      .query({
        automation: { alias: 'dataset', uid: '3333333333333333' },
        refs: [{ artifact: { alias: 'stray' } }],
      })
      .map((e) => e.alias),
    [],
  );
  rmSync(dir, { recursive: true, force: true });
});

test('lists a folder without _base record by record, unreadable metas with their error', () => {
  const { dir, make } = setup();
  const data = join(dir, 'other', 'repo', 'dataset');
  rmSync(join(data, 'child1'), { recursive: true });
  writeTree(data, { broken: { '_cm.yaml': 'alias: broken\ntags: [a\n' } });
  saved(make());
  const all = make().query({ automation: { alias: 'dataset', uid: '3333333333333333' } });
  assert.deepEqual(
    all.map((e) => [e.alias, e.path, e.error === undefined]),
    [
      ['base1', join(data, 'base1'), true],
      ['broken', join(data, 'broken'), false],
    ],
  );
  assert.match(all[1]?.error ?? '', /_cm\.yaml:\d+: malformed YAML/);
  rmSync(dir, { recursive: true, force: true });
});

test('an edit that gives a meta a _base or takes its own automation away is seen by queries', () => {
  const { dir, make } = setup();
  const data = join(dir, 'other', 'repo', 'dataset');
  rmSync(join(data, 'child1'), { recursive: true });
  writeTree(data, {
    plain: { '_cm.json': '{"alias":"plain","tags":["p"]}' },
    stray: { '_cm.json': '{"alias":"stray","automation_uid":"7777777777777777","tags":["s"]}' },
    both: { '_cm.yaml': 'alias: both\ntags: [y]\n', '_cm.json': '{"uid":"8888888888888888"}' },
  });
  // Files and folders older than the index: its stamps are trusted, edits are found by stat.
  age(
    dir,
    'base1/_cm.yaml',
    'plain/_cm.json',
    'stray/_cm.json',
    'both/_cm.yaml',
    'both/_cm.json',
    '.',
  );
  saved(make());
  const dataset = { alias: 'dataset', uid: '3333333333333333' };
  const other = { alias: 'x', uid: '7777777777777777' };
  const aliasesOf = (index: ArtifactIndex, q: ArtifactQuery): string[] =>
    index.query(q).map((e) => e.alias);
  writeFileSync(join(data, 'plain', '_cm.json'), '{"alias":"plain","tags":["p"],"_base":"base1"}');
  const first = make();
  assert.deepEqual(
    aliasesOf(first, { automation: dataset, tags: { include: ['shared'], exclude: [] } }),
    ['base1', 'plain'],
  );
  first.save();
  writeFileSync(join(data, 'stray', '_cm.json'), '{"alias":"stray","tags":["s"]}');
  const second = make();
  assert.deepEqual(aliasesOf(second, { automation: other }), []);
  assert.deepEqual(
    aliasesOf(second, { automation: dataset, tags: { include: ['s'], exclude: [] } }),
    ['stray'],
  );
  second.save();
  // A meta file gone from an artifact that had two: its paths to stat change too.
  rmSync(join(data, 'both', '_cm.json'));
  const third = make();
  assert.equal(third.query({ refs: [{ artifact: { alias: 'both' } }] })[0]?.uid, '');
  third.save();
  assert.deepEqual(aliasesOf(make(), { automation: dataset }), ['base1', 'both', 'plain', 'stray']);
  rmSync(dir, { recursive: true, force: true });
});

test('markStale(folder) checks that folder again alone; a folder the index does not know, every repo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-index-'));
  const paths = homePaths(join(dir, 'home'));
  const meta = (alias: string, tags: string[]): string =>
    JSON.stringify({ alias, uid: '', automation_alias: 'cache', automation_uid: 'a', tags });
  writeTree(dir, { internal: { 'cmr.json': '{"alias":"internal","uid":"36b263b05174aef9"}' } });
  const index = new ArtifactIndex({
    paths,
    internalRepoPath: join(dir, 'internal'),
    emit: () => {},
    persistent: false,
  });
  const local = index.repos()[0]!.artifactsRoot;
  writeTree(local, { cache: { e1: { '_cm.json': meta('e1', ['x', 'tmp']) } } });
  index.markStale();
  const tagsOf = (alias: string): string[] | undefined =>
    index.query({ automation: { alias: 'cache', uid: 'a' } }).find((e) => e.alias === alias)?.tags;
  assert.deepEqual(tagsOf('e1'), ['x', 'tmp']);
  // What a claim and a save do: a new entry, an entry completed in place (same size or not).
  writeTree(local, { cache: { e2: { '_cm.json': meta('e2', ['x']) } } });
  writeFileSync(join(local, 'cache', 'e1', '_cm.json'), meta('e1', ['x']));
  writeTree(local, { script: { s1: { '_cm.json': meta('s1', ['y']) } } });
  index.markStale(join(local, 'cache'));
  assert.deepEqual(tagsOf('e1'), ['x']);
  assert.deepEqual(tagsOf('e2'), ['x']);
  // The script folder was not asked about: the index is still as it was for it.
  assert.equal(
    index.entries().some((e) => e.alias === 's1'),
    false,
  );
  // A folder the index does not know yet (the first of its automation): every repo is checked.
  writeTree(local, { experiment: { x1: { '_cm.json': meta('x1', ['z']) } } });
  index.markStale(join(local, 'experiment'));
  assert.deepEqual(
    index
      .entries()
      .map((e) => e.alias)
      .sort(),
    ['e1', 'e2', 's1', 'x1'],
  );
  rmSync(dir, { recursive: true, force: true });
});
