// Adversarial meta files through the real CLI: alias bombs, cyclic anchors and nesting past the
// bounds fail fast with a CM error naming the file and line; no stack trace, no "internal error".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parallel, sandbox } from '../e2e/helpers.js';

/** A local repo with the automation "dataset" and one ordinary dataset, "good". */
async function withDataset() {
  const s = sandbox('cm-security-');
  assert.equal((await s.cm('add', 'automation', 'dataset')).code, 0);
  assert.equal((await s.cm('add', 'dataset', 'good', '--tags=ok')).code, 0);
  return s;
}

/** `levels` anchors of 9 aliases each (9 levels: the 1 KB bomb of the issue, 9^9 values). */
function aliasBomb(levels) {
  const lines = ['alias: bomb', 'automation_alias: dataset', 'l0: &l0 [x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`)}]`);
  return lines.join('\n') + '\n';
}

/** Runs `cm ...args`, timing it. */
async function timed(s, ...args) {
  const t = Date.now();
  const r = await s.cm(...args);
  return { ...r, ms: Date.now() - t };
}

/** A CM error (never a crash) on stderr, fast, that matches `where`. */
function assertCmError(r, where) {
  assert.notEqual(r.code, 0, r.stderr);
  assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  assert.match(r.stderr, /^CM error: /m);
  assert.match(r.stderr, where);
  assert.match(r.stderr, /^ {2}hint: /m);
  assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
}

/** `cm find dataset` still lists the good artifact, warning about the bad one, fast. */
async function assertFindWarns(s, where) {
  const r = await timed(s, 'find', 'dataset');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  assert.match(r.stdout, /dataset\/good$/m);
  assert.match(r.stderr, /^WARNING: /m);
  assert.match(r.stderr, where);
  assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
}

describe('meta files past the bounds', parallel, () => {
  test('a YAML alias bomb is refused at its line by load, find and -j, before it expands', async () => {
    const s = await withDataset();
    // 7 levels: 5 million values once expanded, refused at the alias that passes 1,000,000.
    s.write({ bomb: { '_cm.yaml': aliasBomb(7) } }, s.local('dataset'));
    const where = /bomb\/_cm\.yaml:9: YAML aliases expand to more than 1,000,000 values/;
    assertCmError(await timed(s, 'load', 'dataset', 'bomb'), where);
    await assertFindWarns(s, where);
    const j = await timed(s, 'load', 'dataset', 'bomb', '-j');
    assert.equal(j.code, 4);
    assert.equal(j.json().return, 4);
    assert.match(j.json().error, where);
    s.cleanup();
  });

  test('the 1 KB bomb of the issue (9 anchors of 9 aliases) fails as fast', async () => {
    const s = await withDataset();
    s.write({ bomb: { '_cm.yaml': aliasBomb(9) } }, s.local('dataset'));
    assertCmError(await timed(s, 'load', 'dataset', 'bomb'), /bomb\/_cm\.yaml:9: YAML aliases/);
    s.cleanup();
  });

  test('an anchor that contains its own alias is refused as a cycle', async () => {
    const s = await withDataset();
    s.write(
      { loop: { '_cm.yaml': 'alias: loop\nx: 1\na: &a [1, {b: *a}]\n' } },
      s.local('dataset'),
    );
    const where = /loop\/_cm\.yaml:3: alias \*a stands for a node that contains it \(a cycle\)/;
    assertCmError(await timed(s, 'load', 'dataset', 'loop'), where);
    await assertFindWarns(s, where);
    s.cleanup();
  });

  test('a JSON meta nested 100,000 deep is refused, naming the file and line', async () => {
    const s = await withDataset();
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    s.write({ deep: { '_cm.json': `{\n"alias": "deep",\n"x": ${deep}}\n` } }, s.local('dataset'));
    const where = /deep\/_cm\.json:3: nesting deeper than 200 levels of lists and mappings/;
    assertCmError(await timed(s, 'load', 'dataset', 'deep'), where);
    await assertFindWarns(s, where);
    s.cleanup();
  });

  test('deep YAML, block or flow, is refused, naming the file and line', async () => {
    const s = await withDataset();
    const block = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ' 1\n';
    const flow = `alias: flow\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    s.write(
      { block: { '_cm.yaml': `alias: block\n${block}` }, flow: { '_cm.yaml': flow } },
      s.local('dataset'),
    );
    assertCmError(
      await timed(s, 'load', 'dataset', 'block'),
      // The 201st mapping starts on line 202; js-yaml's parser, which stops past 200 levels
      // first, counts a level more than lists and mappings in block style.
      /block\/_cm\.yaml:20[23]: nesting deeper than 200 levels/,
    );
    assertCmError(
      await timed(s, 'load', 'dataset', 'flow'),
      /flow\/_cm\.yaml:2: nesting deeper than 200 levels/,
    );
    s.cleanup();
  });

  test('a meta at the depth bound loads and prints with -j; anchors and merge keys still work', async () => {
    const s = await withDataset();
    const edge = `{"alias": "edge", "x": ${'['.repeat(199)}1${']'.repeat(199)}}`;
    const anchors = [
      'alias: anchors',
      'base: &base',
      '  env: {A: "1"}',
      'deps:',
      '  - <<: *base',
      '    names: [one]',
      '  - <<: *base',
      '    env: {B: "2"}',
      'list: &l [1, 2]',
      'again: *l',
    ].join('\n');
    s.write({ edge: { '_cm.json': edge }, anchors: { '_cm.yaml': anchors } }, s.local('dataset'));
    const e = await s.cm('load', 'dataset', 'edge', '-j');
    assert.equal(e.code, 0, e.stderr);
    assert.equal(JSON.stringify(e.json().meta.x), '['.repeat(199) + '1' + ']'.repeat(199));
    const a = await s.cm('load', 'dataset', 'anchors', '-j');
    assert.equal(a.code, 0, a.stderr);
    const { deps, again } = a.json().meta;
    assert.deepEqual(deps, [{ env: { A: '1' }, names: ['one'] }, { env: { B: '2' } }]);
    assert.deepEqual(again, [1, 2]);
    const found = await s.cm('find', 'dataset');
    assert.equal(found.code, 0);
    assert.equal(found.stderr, '');
    s.cleanup();
  });
});
