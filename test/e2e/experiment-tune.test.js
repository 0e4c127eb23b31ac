// End-to-end: autotuning with cme (--strategy, --budget, --seed, --objectives over space: of the
// input file): the same seed proposes the same points, the front is printed and recorded, and the
// examples/autotune GCC flags example runs through compile-program and benchmark-program.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parallel, root, sandbox } from './helpers.js';

const results = (runDir) => JSON.parse(readFileSync(join(runDir, 'cm-result.json'), 'utf8'));

/** A synthetic objective: t = (X-5)^2 + 3*[Y on], s = X (both to minimise). */
const SPACE = [
  'space:',
  '  X: { range: [0, 9] }',
  '  Y: { flag: "-y" }',
  'cmd: >-',
  '  echo "{\\"t\\": $(( (X-5)*(X-5) + (${#Y} > 0 ? 3 : 0) )), \\"s\\": $X}" > cm-output.json',
  '',
].join('\n');

describe('autotuning', parallel, () => {
  test('evolution with a seed proposes the same points every time; the front is printed and recorded', async () => {
    const s = sandbox();
    s.write({ 'tune.yaml': SPACE });
    const args = [
      '@tune.yaml',
      '--strategy=evolution',
      '--budget=8',
      '--seed=7',
      '--objectives=t:min,s:min',
      '-j',
    ];
    const a = await s.bin('cme', 'tune-a', ...args);
    assert.equal(a.code, 0, a.stderr);
    const b = await s.bin('cme', 'tune-b', ...args);
    const pointsOf = (r) => results(r.json().experiment_path2).map((x) => `${x.X}${x.Y}`);
    assert.equal(pointsOf(a).length, 8);
    assert.equal(new Set(pointsOf(a)).size, 8);
    assert.deepEqual(pointsOf(b), pointsOf(a));
    const tuning = a.json().tuning;
    assert.equal(tuning.evaluations, 8);
    // The front: exactly the evaluated points no other evaluated point dominates.
    const evaluated = results(a.json().experiment_path2);
    const dominated = (p) =>
      evaluated.some((q) => q.t <= p.t && q.s <= p.s && (q.t < p.t || q.s < p.s));
    const expected = evaluated.filter((p) => !dominated(p)).map((p) => `${p.X}${p.Y}`);
    assert.deepEqual(tuning.front.map((p) => `${p.X}${p.Y}`).sort(), expected.sort());
    const run = JSON.parse(readFileSync(join(a.json().experiment_path2, 'cm-run.json'), 'utf8'));
    assert.deepEqual(run.sessions[0].summary.tuning.front, tuning.front);
    const text = await s.bin('cme', 'tune-c', ...args.slice(0, -1));
    assert.match(text.stdout, /Pareto front \(t:min,s:min\) of 8 evaluated points/);
  });

  test('exhaustive covers the space; --resume tells recorded points instead of running them', async () => {
    const s = sandbox();
    s.write({ 'tune.yaml': SPACE });
    const r = await s.bin(
      'cme',
      'ex',
      '@tune.yaml',
      '--strategy=exhaustive',
      '--objectives=t:min,s:min',
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(results(r.json().experiment_path2).length, 20);
    const front = r
      .json()
      .tuning.front.map((p) => `${p.X}${p.Y}`)
      .sort();
    assert.deepEqual(front, ['0', '1', '2', '3', '4', '5']);
    const again = await s.bin('cme', 'ex', '--resume', '-j');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(results(r.json().experiment_path2).length, 20);
    assert.deepEqual(
      again
        .json()
        .tuning.front.map((p) => `${p.X}${p.Y}`)
        .sort(),
      front,
    );
  });

  test('bad tuning input: a bad space names the key; --strategy without --objectives says what is missing', async () => {
    const s = sandbox();
    s.write({ 'bad.yaml': 'space:\n  X: { range: [5, 1] }\ncmd: "true"\n' });
    const bad = await s.bin('cme', 'b', '@bad.yaml', '--strategy=random', '--objectives=t:min');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /X/);
    const none = await s.bin('cme', 'b', '@bad.yaml', '--strategy=random');
    assert.match(none.stderr, /--objectives/);
  });

  test('examples/autotune tunes GCC flags through compile-program and benchmark-program', async (t) => {
    if (
      spawnSync('gcc', ['--version']).status !== 0 ||
      spawnSync('size', ['--version']).status !== 0
    )
      return t.skip('gcc and binutils are not installed');
    const s = sandbox();
    const r = await s.cmIn(
      root,
      'run',
      'experiment',
      'autotune',
      '--tags=autotune,gcc',
      '@examples/autotune/autotune.yaml',
      '--strategy=random',
      '--budget=3',
      '--seed=1',
      '--objectives=time:min,size:min',
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    const rows = results(r.json().experiment_path2);
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.equal(row.exit_code, 0);
      assert.ok(row.time > 0 && row.size > 0, JSON.stringify(row));
      assert.match(row.cflags, /^-O[123]/);
    }
    assert.ok(r.json().tuning.front.length >= 1);
  });
});
