// End-to-end: cm show experiment and cm diff experiment (spec experiment.md §9 scenarios 36-41):
// tables, CSV, JSON rows with provenance, --where/--derive, statistics, the Pareto front, CK's
// margins, a corrupted results file, and the CMX and MLC layouts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, sandbox } from './helpers.js';

/** An experiment artifact `name` in the local repo with one CM run holding `rows`. */
function recorded(s, name, runs) {
  const dir = s.local('experiment', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, '_cm.json'),
    JSON.stringify({
      alias: name,
      uid: 'a1b2c3d4e5f60718'.slice(0, 14) + String(name.length).padStart(2, '0'),
      automation_alias: 'experiment',
      automation_uid: 'a0a2d123ef064bcb',
      tags: ['shown', name],
    }),
  );
  for (const [run, rows] of Object.entries(runs)) {
    mkdirSync(join(dir, run), { recursive: true });
    writeFileSync(
      join(dir, run, 'cm-result.json'),
      typeof rows === 'string' ? rows : JSON.stringify(rows, null, 2),
    );
  }
  return dir;
}

const pts = [
  { uid: 'u1', A: 1, time: 1, acc: 0.5 },
  { uid: 'u2', A: 2, time: 2, acc: 0.7 },
  { uid: 'u3', A: 3, time: 3, acc: 0.6 },
  { uid: 'u4', A: 2, time: 2, acc: 0.7 },
  { uid: 'u5', A: 5, time: 4 },
];

describe('cm show experiment', parallel, () => {
  test('scenario 36: artifacts, runs newest first, JSON rows with provenance', async () => {
    const s = sandbox();
    await s.cm('find', 'experiment');
    const dir = recorded(s, 'sh', {
      '2024-01-01.10-00-00.000000': pts.slice(0, 2),
      '2024-02-01.10-00-00.000000': pts.slice(2, 3),
    });
    const r = await s.cm('show', 'experiment', '--tags=shown', '-j');
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.deepEqual(
      out.experiments[0].runs.map((x) => x.name),
      ['2024-02-01.10-00-00.000000', '2024-01-01.10-00-00.000000'],
    );
    assert.equal(out.rows.length, 3);
    const row = out.rows.find((x) => x.uid === 'u1');
    assert.equal(row.experiment_alias, 'sh');
    assert.equal(row.experiment_tags, 'shown,sh');
    assert.equal(row.experiment_dir, join(dir, '2024-01-01.10-00-00.000000'));
    assert.match(r.stderr, /2024-02-01[^\n]*1 results/);
  });

  test('scenario 37: --only-changed, --sort-by and --csv', async () => {
    const s = sandbox();
    await s.cm('find', 'experiment');
    recorded(s, 'tb', {
      '2024-01-01.10-00-00.000000': [
        { uid: 'a', c: 1, latency: 3 },
        { uid: 'b', c: 1, latency: 1 },
      ],
    });
    const r = await s.cm(
      'show',
      'experiment',
      'tb',
      '--only-changed',
      '--sort-by=latency',
      '--csv',
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0].includes(',c,') || lines[0].endsWith(',c'), false, lines[0]);
    const col = lines[0].split(',').indexOf('latency');
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',')[col]),
      ['1', '3'],
    );
  });

  test('scenario 38: statistics over repetitions', async () => {
    const s = sandbox();
    await s.cm('find', 'experiment');
    recorded(s, 'st', {
      '2024-01-01.10-00-00.000000': [10, 12, 11].map((t, i) => ({ uid: `r${i}`, A: 1, t })),
    });
    const r = await s.cm('show', 'experiment', 'st', '--stats', '--group-by=A', '-j');
    assert.equal(r.code, 0, r.stderr);
    const [g] = r.json().rows;
    assert.equal(g['t#min'], 10);
    assert.equal(g['t#max'], 12);
    assert.equal(g['t#mean'], 11);
    assert.equal(g['t#range'], 2);
    assert.ok(Math.abs(g['t#range_percent'] - 0.2) < 1e-12);
    assert.equal(g['t#repeats'], 3);
  });

  test('scenario 39: the Pareto front keeps ties and counts rows missing an objective', async () => {
    const s = sandbox();
    await s.cm('find', 'experiment');
    recorded(s, 'pa', { '2024-01-01.10-00-00.000000': pts });
    const r = await s.cm('show', 'experiment', 'pa', '--pareto=time:min,acc:max', '-j');
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.deepEqual(out.rows.map((x) => x.uid).sort(), ['u1', 'u2', 'u4']);
    assert.equal(out.excluded, 1);
  });

  test('scenario 40: CK margins', async () => {
    const s = sandbox();
    await s.cm('find', 'experiment');
    recorded(s, 'ck', {
      '2024-01-01.10-00-00.000000': [
        { uid: 'p', time: 1.05, acc: 0.7 },
        { uid: 'q', time: 1.0, acc: 0.7 },
      ],
    });
    recorded(s, 'ck2', {
      '2024-01-01.10-00-00.000000': [
        { uid: 'p', time: 1.05, acc: 0.7 },
        { uid: 'q', time: 0.9, acc: 0.7 },
      ],
    });
    const kept = await s.cm('show', 'experiment', 'ck', '--ck-margins=time:min:1.10,acc:max', '-j');
    assert.ok(
      kept.json().rows.some((x) => x.uid === 'p'),
      kept.stdout,
    );
    const gone = await s.cm(
      'show',
      'experiment',
      'ck2',
      '--ck-margins=time:min:1.10,acc:max',
      '-j',
    );
    assert.equal(
      gone.json().rows.some((x) => x.uid === 'p'),
      false,
    );
  });

  test('--where and --derive use the safe expression language; a bad one names its column', async () => {
    const s = sandbox();
    await s.cm('find', 'experiment');
    recorded(s, 'wd', { '2024-01-01.10-00-00.000000': pts });
    const r = await s.cm(
      'show',
      'experiment',
      'wd',
      '--derive=eff = acc / time',
      '--where=eff > 0.3',
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r
        .json()
        .rows.map((x) => x.uid)
        .sort(),
      ['u1', 'u2', 'u4'],
    );
    const bad = await s.cm('show', 'experiment', 'wd', '--where=time > (1');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /column \d+/);
  });

  test('a results file broken by hand is named with its line; the other runs still show', async () => {
    const s = sandbox();
    await s.cm('find', 'experiment');
    recorded(s, 'br', {
      '2024-01-01.10-00-00.000000': pts.slice(0, 1),
      '2024-02-01.10-00-00.000000': '[\n  {"uid": "x",\n  oops\n]',
    });
    const r = await s.cm('show', 'experiment', 'br', '-j');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().rows.length, 1);
    assert.match(r.stderr, /cm-result\.json[^\n]*:3/);
  });

  test('CMX and MLC layouts are read too', async () => {
    const s = sandbox();
    await s.cm('find', 'experiment');
    const dir = recorded(s, 'ly', {});
    mkdirSync(join(dir, '20240101.100000'), { recursive: true });
    writeFileSync(
      join(dir, '20240101.100000', 'cmx-result-summary.json'),
      JSON.stringify([{ uid_step: 's1', t: '5' }]),
    );
    mkdirSync(join(dir, 'run_2024-01-02_10-00-00'), { recursive: true });
    writeFileSync(
      join(dir, 'run_2024-01-02_10-00-00', 'mlc-output.json'),
      JSON.stringify({ a: { b: 2 } }),
    );
    const r = await s.cm('show', 'experiment', 'ly', '-j');
    assert.equal(r.code, 0, r.stderr);
    const rows = r.json().rows;
    assert.ok(rows.some((x) => x.t === '5'));
    assert.ok(rows.some((x) => x['a.b'] === 2));
  });
});

describe('cm diff experiment', parallel, () => {
  test('scenario 41: only the keys that differ, with the change; --all lists every key', async () => {
    const s = sandbox();
    await s.cm('find', 'experiment');
    recorded(s, 'df', {
      '2024-01-01.10-00-00.000000': [
        { uid: 'x1', same: 1, t: 10, s: 'a' },
        { uid: 'x2', same: 1, t: 12, s: 'b' },
      ],
    });
    const r = await s.cm('diff', 'experiment', 'df', '--uid=x1', '--uid=x2', '-j');
    assert.equal(r.code, 0, r.stderr);
    const keys = r
      .json()
      .differences.map((d) => d.key)
      .sort();
    assert.deepEqual(keys, ['s', 't']);
    const t = r.json().differences.find((d) => d.key === 't');
    assert.ok(Math.abs(t.change - 0.2) < 1e-12);
    const all = await s.cm('diff', 'experiment', 'df', '--uid=x1', '--uid=x2', '--all', '-j');
    assert.ok(all.json().differences.some((d) => d.key === 'same'));
  });
});
