// The playground's fixture repo (gui.md §6): experiments mlperf-demo (12 MLPerf-like rows),
// sweep-demo (2 runs, 18 rows over explored A and B, one without acc), secret-demo (protected by
// a password), and a report artifact for row R1. Expected answers are computed here by plain
// loops, independently of the code under test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

export const MLPERF_UID = 'a1a1a1a1a1a1a101';
export const SWEEP_UID = 'b2b2b2b2b2b2b202';
export const SECRET_UID = 'c3c3c3c3c3c3c303';
export const SECRET_PASSWORD = 'open sesame';
export const MLPERF_RUN = '2025-03-01.10-00-00.000000';
export const SWEEP_RUNS = ['2025-04-01.09-00-00.000000', '2025-04-02.09-00-00.000000'];

const orgs = ['OrgA', 'OrgB', 'OrgC'];
const versions = ['v3.1', 'v4.0', 'v4.1'];

/** 12 rows; R1 is the first (uid r1...). Result and Result_Power chosen so the front is small. */
export const mlperfRows = [
  [1200, 80, 76.1],
  [1500, 120, 76.4],
  [900, 60, 75.9],
  [2000, 150, 74.2],
  [1800, 95, 76.0],
  [600, 40, 72.5],
  [1100, 110, 76.2],
  [2500, 240, 75.1],
  [1300, 70, 76.3],
  [700, 90, 71.0],
  [1600, 100, 76.5],
  [400, 30, 78.0],
].map(([Result, Result_Power, Accuracy], i) => ({
  uid: i === 0 ? 'r100000000000001' : `a000000000000${String(i).padStart(3, '0')}`,
  Organization: orgs[i % 3],
  Model: i % 2 === 0 ? 'resnet50' : 'bert-99',
  SystemName: `system-${i}`,
  Result,
  Result_Power,
  Accuracy,
  version: versions[i % 3],
  url: `https://example.org/results/${i}`,
  ...(i === 0
    ? { acm_ctuning_repro_badge_functional: true, acm_ctuning_repro_badge_reproduce: true }
    : {}),
  ...(i === 3 ? { note: '<img src=x onerror=alert(1)>' } : {}),
}));
export const R1 = mlperfRows[0];

/** sweep-demo: A in 1..3, B in 1..3, two runs; the last row of the second run lacks acc. */
export const sweepRuns = SWEEP_RUNS.map((_, run) => {
  const rows = [];
  for (let A = 1; A <= 3; A++)
    for (let B = 1; B <= 3; B++) {
      const k = rows.length;
      const uid = `${run === 0 ? 'd' : 'e'}00000000000${String(k).padStart(4, '0')}`;
      const row = {
        uid,
        A,
        B,
        time: A * 10 + B + run * 0.5,
        acc: 0.5 + 0.05 * A - 0.01 * B,
        step: k,
      };
      if (run === 1 && k === 8) delete row.acc;
      rows.push(row);
    }
  return rows;
});

/** Rows of the objectives' Pareto front (ties kept), by a plain O(n²) scan. */
export function naiveFront(rows, objectives) {
  const val = (r, o) => (o.goal === 'max' ? -r[o.key] : r[o.key]);
  const ok = rows.filter((r) => objectives.every((o) => typeof r[o.key] === 'number'));
  return ok.filter(
    (p) =>
      !ok.some(
        (q) =>
          objectives.every((o) => val(q, o) <= val(p, o)) &&
          objectives.some((o) => val(q, o) < val(p, o)),
      ),
  );
}

function writeJson(file, value) {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

function experiment(repo, alias, uid, tags, extra = {}) {
  const dir = join(repo, 'experiment', alias);
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, '_cm.json'), {
    alias,
    uid,
    automation_alias: 'experiment',
    automation_uid: 'a0a2d123ef064bcb',
    tags,
    ...extra,
  });
  return dir;
}

function run(expDir, name, rows, { steps = false, input } = {}) {
  const dir = join(expDir, name);
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, 'cm-result.json'), rows);
  if (input) writeJson(join(dir, 'cm-input.json'), input);
  if (steps)
    for (const r of rows) {
      mkdirSync(join(dir, r.uid), { recursive: true });
      writeJson(join(dir, r.uid, 'cm-input.json'), {
        action: 'native-run',
        automation: 'script,5b4e0237da074764',
        env: { A: String(r.A), B: String(r.B) },
        command: `echo A=${r.A} B=${r.B}`,
      });
      writeFileSync(join(dir, r.uid, 'stdout.log'), `time=${r.time}\n`);
    }
  return dir;
}

/**
 * Writes the fixture into `repo` (a registered CM repo folder, e.g. the home's local repo). The
 * sweep's command is a real one: `cm replay experiment` can run it again.
 */
export function writeFixture(repo) {
  const m = experiment(repo, 'mlperf-demo', MLPERF_UID, ['mlperf', 'demo']);
  run(m, MLPERF_RUN, mlperfRows);
  const s = experiment(repo, 'sweep-demo', SWEEP_UID, ['sweep', 'demo']);
  const input = {
    action: 'run',
    automation: 'experiment',
    tags: 'sweep,demo',
    explore: { A: '[1,2,3]', B: '[1,2,3]' },
    unparsed_cmd: ['echo', 'A={{A}}', 'B={{B}}'],
  };
  SWEEP_RUNS.forEach((name, i) => run(s, name, sweepRuns[i], { steps: true, input }));
  const hash = bcrypt.hashSync(SECRET_PASSWORD, 10);
  const c = experiment(repo, 'secret-demo', SECRET_UID, ['secret', 'demo'], {
    password_hash: hash,
  });
  run(c, '2025-05-01.09-00-00.000000', [{ uid: 'f000000000000001', Result: 1, Accuracy: 99 }]);
  const report = join(repo, 'report', 'r1-report');
  mkdirSync(report, { recursive: true });
  writeJson(join(report, '_cm.json'), {
    alias: 'r1-report',
    uid: 'f1f1f1f1f1f1f101',
    automation_alias: 'report',
    automation_uid: '6462ecdba2054467',
    tags: [`result-${R1.uid}`],
    title: 'Report on R1',
  });
  writeFileSync(
    join(report, 'README.md'),
    '# Reproducibility report\n\nAll **good**.\n\n<script>window.__pwned = 1; alert(1)</script>\n',
  );
}
