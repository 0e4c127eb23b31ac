import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecordedRuns, startedOf } from './recorded-runs.js';
import { writeTree } from '../../db/file-tree.js';
import { CmError } from '../../core/errors.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cm-exp-runs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const json = (v: unknown): string => JSON.stringify(v, null, 2);

test('reads CM runs newest first with their flat results, ignoring other folders and files', (t) => {
  const dir = tempDir(t);
  writeTree(dir, {
    '_cm.json': json({ alias: 'e' }),
    '2023-06-09.09-58-02.863466': {
      'cm-input.json': json({ action: 'run' }),
      'cm-run.json': json({ host: 'h' }),
      'cm-result.json': json([
        { uid: 'a', iso_datetime: '2023-06-09T09:58:03', 'x.y': 1 },
        { uid: 'b', t: 2, nested: { k: 'v' } },
      ]),
      '7ed0ea0edd6b4dd7': { 'cm-output.json': json({ x: { y: 1 } }) },
    },
    '2023-06-10.08-00-00.000001': { 'cm-result.json': json([{ uid: 'c' }]) },
    '2023-06-10.08-00-00.000001.1': { 'cm-result.json': json([]) },
    'not-a-run': { 'notes.txt': 'hello' },
    'no-results-yet': { 'cm-input.json': '{}' },
  });
  const runs = readRecordedRuns(dir);
  assert.deepEqual(
    runs.map((r) => [r.name, r.layout, r.started, r.results.length, r.problems]),
    [
      ['2023-06-10.08-00-00.000001.1', 'cm', '2023-06-10T08:00:00.000001', 0, []],
      ['2023-06-10.08-00-00.000001', 'cm', '2023-06-10T08:00:00.000001', 1, []],
      ['2023-06-09.09-58-02.863466', 'cm', '2023-06-09T09:58:02.863466', 2, []],
    ],
  );
  assert.equal(runs[2]!.dir, join(dir, '2023-06-09.09-58-02.863466'));
  assert.deepEqual(runs[2]!.results[1], { uid: 'b', t: 2, 'nested.k': 'v' });
});

test('a hand-broken result file becomes a problem naming its line and column; other runs still read', (t) => {
  const dir = tempDir(t);
  const broken = '[\n  {"uid": "a", "t": 1},\n  {"uid": "b" "t": 2}\n]\n';
  writeTree(dir, {
    '2024-01-01.10-00-00.000000': { 'cm-result.json': broken },
    '2024-01-02.10-00-00.000000': { 'cm-result.json': json([{ uid: 'ok' }]) },
  });
  const runs = readRecordedRuns(dir);
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[0]!.results, [{ uid: 'ok' }]);
  const bad = runs[1]!;
  assert.deepEqual(bad.results, []);
  assert.equal(bad.problems.length, 1);
  const file = join(dir, '2024-01-01.10-00-00.000000', 'cm-result.json');
  assert.ok(bad.problems[0]!.startsWith(`${file}:3:15: invalid JSON: `), bad.problems[0]);
});

test('a result file that is not a list, or holds non-objects, is reported and the good entries kept', (t) => {
  const dir = tempDir(t);
  writeTree(dir, {
    '2024-01-01.10-00-00.000000': { 'cm-result.json': json({ uid: 'a' }) },
    '2024-01-02.10-00-00.000000': { 'cm-result.json': json([{ uid: 'a' }, 3, null, { uid: 'b' }]) },
  });
  const [mixed, notList] = readRecordedRuns(dir);
  assert.deepEqual(mixed!.results, [{ uid: 'a' }, { uid: 'b' }]);
  assert.equal(mixed!.problems.length, 2);
  assert.match(mixed!.problems[0]!, /cm-result\.json: result 2 is a number, not a JSON object$/);
  assert.match(mixed!.problems[1]!, /result 3 is null/);
  assert.deepEqual(notList!.results, []);
  assert.match(
    notList!.problems[0]!,
    /cm-result\.json: expected a JSON list of results, found an object$/,
  );
});

test('reads CMX runs from the summary as stored, else from the step files in step order', (t) => {
  const dir = tempDir(t);
  writeTree(dir, {
    '20240102.101010': {
      'cmx-input.json': json({ input: {} }),
      'cmx-result-summary.json': json([{ uid_step: 's1', time: '0.5' }]),
      'step-1': { 'cmx-result.json': json({ ignored: true }) },
    },
    '20240101.090000': {
      'step-10': { 'cmx-result.json': json({ step: 10, out: { v: 2 } }) },
      'step-2': { 'cmx-result.json': json({ step: 2 }) },
      'step-3': { 'other.json': '{}' },
    },
  });
  const runs = readRecordedRuns(dir);
  assert.deepEqual(
    runs.map((r) => [r.name, r.layout, r.started]),
    [
      ['20240102.101010', 'cmx', '2024-01-02T10:10:10'],
      ['20240101.090000', 'cmx', '2024-01-01T09:00:00'],
    ],
  );
  assert.deepEqual(runs[0]!.results, [{ uid_step: 's1', time: '0.5' }]);
  assert.deepEqual(runs[1]!.results, [{ step: 2 }, { step: 10, 'out.v': 2 }]);
});

test('reads MLC runs, one flat result each, preferring mlc-output.json over cm-output.json', (t) => {
  const dir = tempDir(t);
  writeTree(dir, {
    'run_2024-03-01_12-00-00': {
      'mlc-output.json': json({ return: 0, new_env: { X: '1' } }),
      'cm-output.json': json({ ignored: true }),
      'system_state_before.json': '{}',
    },
    'run_2024-03-02_12-00-00': { 'cm-output.json': json({ info: { run_uid: 'r' } }) },
    'run_2024-03-03_12-00-00': { 'mlc-output.json': '{"return": 0,' },
    'run_2024-03-04_12-00-00': {},
  });
  const runs = readRecordedRuns(dir);
  assert.deepEqual(
    runs.map((r) => [r.name, r.layout, r.started, r.results]),
    [
      ['run_2024-03-04_12-00-00', 'mlc', '2024-03-04T12:00:00', []],
      ['run_2024-03-03_12-00-00', 'mlc', '2024-03-03T12:00:00', []],
      ['run_2024-03-02_12-00-00', 'mlc', '2024-03-02T12:00:00', [{ 'info.run_uid': 'r' }]],
      ['run_2024-03-01_12-00-00', 'mlc', '2024-03-01T12:00:00', [{ return: 0, 'new_env.X': '1' }]],
    ],
  );
  assert.match(runs[0]!.problems[0]!, /no mlc-output\.json or cm-output\.json$/);
  assert.match(runs[1]!.problems[0]!, /mlc-output\.json:1:14: invalid JSON: /);
});

test('a run folder whose name is not a time is ordered by its modification time', (t) => {
  const dir = tempDir(t);
  writeTree(dir, {
    custom: { 'cm-result.json': json([{ uid: 'c' }]) },
    '2020-01-01.00-00-00.000000': { 'cm-result.json': json([{ uid: 'old' }]) },
    '2099-01-01.00-00-00.000000': { 'cm-result.json': json([{ uid: 'future' }]) },
  });
  utimesSync(join(dir, 'custom'), new Date(2022, 0, 1), new Date(2022, 0, 1));
  const runs = readRecordedRuns(dir);
  assert.deepEqual(
    runs.map((r) => [r.name, r.started]),
    [
      ['2099-01-01.00-00-00.000000', '2099-01-01T00:00:00.000000'],
      ['custom', undefined],
      ['2020-01-01.00-00-00.000000', '2020-01-01T00:00:00.000000'],
    ],
  );
  assert.equal(Object.hasOwn(runs[1]!, 'started'), false);
});

test('a missing experiment folder is a file-not-found error', () => {
  assert.throws(
    () => readRecordedRuns(join(tmpdir(), 'cm-no-such-experiment-folder')),
    (e: unknown) => e instanceof CmError && e.code === 'file-not-found',
  );
});

test('run folder names of the three layouts spell their start time', () => {
  const cases: Array<[string, string | undefined]> = [
    ['2023-06-09.09-58-02.863466', '2023-06-09T09:58:02.863466'],
    ['2023-06-09.09-58-02', '2023-06-09T09:58:02'],
    ['2023-06-09.09-58-02.2', '2023-06-09T09:58:02'],
    ['2023-06-09.09-58-02.863466.12', '2023-06-09T09:58:02.863466'],
    ['20230609.095802', '2023-06-09T09:58:02'],
    ['20230609.095802.1', '2023-06-09T09:58:02'],
    ['run_2023-06-09_09-58-02', '2023-06-09T09:58:02'],
    ['my-run', undefined],
    ['7ed0ea0edd6b4dd7', undefined],
  ];
  for (const [name, started] of cases) assert.equal(startedOf(name), started, name);
});
