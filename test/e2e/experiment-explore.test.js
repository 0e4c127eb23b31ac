// End-to-end: exploring a parameter space with cme (spec experiment.md §9 scenarios 14-22): the
// dimensions from @input files, --explore flags and inline {{VAR{EXPR}}}, in odometer order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, sandbox } from './helpers.js';

/** The lines a sweep printed on stdout. */
const outLines = (r) => r.stdout.split('\n').filter(Boolean);

describe('exploration', parallel, () => {
  test('scenario 14: a grid from @in.yaml, last dimension fastest, 6 step folders', async () => {
    const s = sandbox();
    s.write({ 'in.yaml': 'explore:\n  A: [1, 2, 3]\n  B: ["x", "y"]\n' });
    const r = await s.bin('cme', '--tags=t', '@in.yaml', '--', 'echo', '{{A}}-{{B}}');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(outLines(r), ['1-x', '1-y', '2-x', '2-y', '3-x', '3-y']);
    for (let k = 1; k <= 6; k++)
      assert.match(r.stderr, new RegExp(`^Experiment step: ${k} out of 6$`, 'm'));
    const exp = join(s.local('experiment'), readdirSync(s.local('experiment'))[0]);
    const run = readdirSync(exp).find((n) => /^\d{4}-/.test(n));
    assert.equal(readdirSync(join(exp, run)).filter((n) => /^[0-9a-f]{16}$/.test(n)).length, 6);
  });

  test('scenarios 15-16, 19: expressions as strings', async () => {
    const s = sandbox();
    const cases = [
      ['[2**i for i in range(0,6)]', ['1', '2', '4', '8', '16', '32']],
      ['range(1,5)', ['1', '2', '3', '4']],
      ['1:9:4', ['1', '5', '9']],
      ['[1,2]', ['1', '2']],
    ];
    for (const [expr, want] of cases) {
      s.write({ 'in.yaml': `explore:\n  C: "${expr}"\n` });
      const r = await s.bin('cme', '--tags=t', '@in.yaml', '--', 'echo', '{{C}}');
      assert.equal(r.code, 0, `${expr}: ${r.stderr}`);
      assert.deepEqual(outLines(r), want, expr);
    }
    const flag = await s.bin('cme', '--tags=t', '--explore.A=[1,2]', '--', 'echo', 'A={{A}}');
    assert.deepEqual(outLines(flag), ['A=1', 'A=2']);
  });

  test('scenarios 17-18: inline declarations, and an inline one keeps the position of a file one', async () => {
    const s = sandbox();
    const r = await s.bin('cme', '--tags=t', '--', 'echo', '{{V{["xx","yy"]}}}-{{V}}');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(outLines(r), ['xx-xx', 'yy-yy']);
    s.write({ 'in.yaml': 'explore:\n  A: [1, 2]\n  B: [5]\n' });
    const o = await s.bin('cme', '--tags=t', '@in.yaml', '--', 'echo', '{{A{[7,8]}}}{{B}}');
    assert.equal(o.code, 0, o.stderr);
    assert.deepEqual(outLines(o), ['75', '85']);
    const ordered = await s.bin('cme', '--tags=t', '@in.yaml', '--', 'echo', '{{B}}{{A{[7,8]}}}');
    assert.deepEqual(outLines(ordered), ['57', '58']);
  });

  test('scenario 20: explored variables are exported', async () => {
    const s = sandbox();
    s.write({ 'in.yaml': 'explore:\n  A: [7]\n' });
    const r = await s.bin('cme', '--tags=t', '@in.yaml', '--', 'bash', '-c', 'echo $A');
    assert.deepEqual(outLines(r), ['7']);
  });

  test('scenario 21: code is never evaluated; the error names the variable and nothing runs', async () => {
    const s = sandbox();
    const mark = join(s.dir, 'ran');
    s.write({ 'in.yaml': `explore:\n  X: "__import__('os').system('touch ${mark}')"\n` });
    const r = await s.bin('cme', '--tags=t', '@in.yaml', '--', 'touch', mark);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /cannot evaluate exploration expression for X/);
    assert.match(r.stderr, /column/);
    assert.equal(existsSync(mark), false);
  });

  test('scenario 22: an empty dimension runs nothing, warns and records no result file', async () => {
    const s = sandbox();
    s.write({ 'in.yaml': 'explore:\n  A: []\n' });
    const r = await s.bin('cme', 'empty', '@in.yaml', '-j', '--', 'echo', 'no');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no values|nothing to run/);
    assert.equal(r.stdout.includes('no\n'), false);
    assert.equal(r.json().steps, 0);
  });

  test('a malformed @input.yaml names the file and line', async () => {
    const s = sandbox();
    s.write({ 'in.yaml': 'explore:\n  A: [1, 2\n  B: 3\n' });
    const r = await s.bin('cme', '--tags=t', '@in.yaml', '--', 'echo', '{{A}}');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /in\.yaml/);
    assert.match(r.stderr, /in\.yaml:\d+/);
  });

  test('--repeat runs each point N times, the repetitions of a point together', async () => {
    const s = sandbox();
    const r = await s.bin(
      'cme',
      'rep',
      '--explore.A=[1,2]',
      '--repeat=2',
      '-j',
      '--',
      'echo',
      '{{A}}',
    );
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(
      readFileSync(join(r.json().experiment_path2, 'cm-result.json'), 'utf8'),
    );
    assert.deepEqual(
      rows.map((x) => [x.A, x.repeat, x.step]),
      [
        [1, 1, 1],
        [1, 2, 2],
        [2, 1, 3],
        [2, 2, 4],
      ],
    );
  });
});
