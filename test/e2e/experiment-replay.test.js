// End-to-end: rerun, resume and replay of recorded runs (spec experiment.md §9 scenarios 28,
// 30-35), and --parallel steps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cmBin, parallel, sandbox } from './helpers.js';

const RUN_NAME = /^\d{4}-\d\d-\d\d\.\d\d-\d\d-\d\d\.\d{6}(\.\d+)?$/;
const runsOf = (dir) =>
  readdirSync(dir)
    .filter((n) => RUN_NAME.test(n))
    .sort();
const results = (runDir) => JSON.parse(readFileSync(join(runDir, 'cm-result.json'), 'utf8'));

describe('rerun, resume, replay', parallel, () => {
  test('scenario 30: rerun --dir appends steps and results to that run', async () => {
    const s = sandbox();
    const first = await s.bin('cme', 'rr', '--explore.A=[1,2]', '-j', '--', 'echo', '{{A}}');
    const runDir = first.json().experiment_path2;
    const name = runDir.split('/').pop();
    const r = await s.cm(
      'rerun',
      'experiment',
      'rr',
      `--dir=${name}`,
      '--explore.A=[1,2]',
      '--',
      'echo',
      '{{A}}',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(results(runDir).length, 4);
    assert.equal(runsOf(first.json().experiment_path).length, 1);
  });

  test('scenarios 31, 34: replay by name adds a run tagged replay to the same artifact; no cm-input.json: an error', async () => {
    const s = sandbox();
    s.write({ 'w.sh': 'echo "{\\"t\\": $1}" > cm-output.json\n' });
    const first = await s.bin(
      'cme',
      'rp',
      '--tags=base',
      '-j',
      '--',
      'bash',
      join(s.dir, 'w.sh'),
      '10',
    );
    const exp = first.json().experiment_path;
    const name = first.json().experiment_path2.split('/').pop();
    const r = await s.cm('replay', 'experiment', 'rp', `--dir=${name}`, '-j');
    assert.equal(r.code, 0, r.stderr);
    const runs = runsOf(exp);
    assert.equal(runs.length, 2);
    const replayed = JSON.parse(readFileSync(join(exp, runs[1], 'cm-input.json'), 'utf8'));
    assert.match(String(replayed.tags), /replay/);
    const [row] = results(join(exp, runs[1]));
    assert.equal(row.replay_of, `${name}/${results(join(exp, name))[0].uid}`);
    assert.equal(r.json().flagged, 0);
    rmSync(join(exp, runs[1], 'cm-input.json'));
    const broken = await s.cm('replay', 'experiment', 'rp', `--dir=${runs[1]}`);
    assert.notEqual(broken.code, 0);
    assert.match(broken.stderr, /can't replay/);
  });

  test('scenario 32: replay of a run found by tags makes a new artifact tagged replay', async () => {
    const s = sandbox();
    await s.bin('cme', '--tags=t32', '--', 'true');
    const r = await s.cm('replay', 'experiment', '--tags=t32');
    assert.equal(r.code, 0, r.stderr);
    const found = await s.cm('find', 'experiment', '--tags=t32,replay', '-j');
    assert.equal(found.json().list.length, 1);
  });

  test('scenarios 33, 35: --uid --step-only replays one step and flags numbers that moved more than 8%', async () => {
    const s = sandbox();
    s.write({
      'w.sh':
        'v=$(cat ' +
        join(s.dir, 'value') +
        '); echo "{\\"t\\": $v, \\"n\\": $A}" > cm-output.json\n',
    });
    writeFileSync(join(s.dir, 'value'), '10');
    const first = await s.bin(
      'cme',
      'st',
      '--explore.A=[1,2]',
      '-j',
      `--cmd=bash ${join(s.dir, 'w.sh')}`,
    );
    assert.equal(first.code, 0, first.stderr);
    await s.bin('cme', 'st', '--explore.A=[1,2]', `--cmd=bash ${join(s.dir, 'w.sh')}`);
    const several = await s.cm('replay', 'experiment', 'st');
    assert.notEqual(several.code, 0);
    assert.match(several.stderr, /--dir/);
    const target = results(first.json().experiment_path2)[1];
    writeFileSync(join(s.dir, 'value'), '12');
    const r = await s.cm('replay', 'experiment', 'st', `--uid=${target.uid}`, '--step-only', '-j');
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.equal(out.flagged, 1);
    const diff = out.comparison[0].differences.find((d) => d.key === 't');
    assert.equal(diff.flagged, true);
    const newRows = results(out.experiment_path2);
    assert.equal(newRows.length, 1);
    assert.equal(newRows[0].A, 2);
    assert.match(newRows[0].replay_of, new RegExp(`/${target.uid}$`));
  });

  test('scenario 28 and --resume: killed mid-sweep, the results file is valid; resume runs only what is missing', async () => {
    const s = sandbox();
    const args = [
      'run',
      'experiment',
      'kill',
      '--explore.A=range(0,6)',
      '--',
      'bash',
      '-c',
      `[ {{A}} != 3 ] || sleep 30; echo {{A}} >> ${join(s.dir, 'log')}`,
    ];
    const child = spawn(process.execPath, [cmBin, ...args], {
      cwd: s.dir,
      env: { ...process.env, CM_REPOS: s.home },
      stdio: 'ignore',
    });
    const exp = () => join(s.local('experiment'), 'kill');
    for (let k = 0; k < 200; k++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const [run] = runsOf(exp());
        if (run && results(join(exp(), run)).length === 3) break;
      } catch {
        // not there yet
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const [run] = runsOf(exp());
    assert.equal(results(join(exp(), run)).length, 3);
    const r = await s.cm('run', 'experiment', 'kill', '--resume', '-j');
    assert.equal(r.code, 0, r.stderr);
    const rows = results(join(exp(), run));
    assert.deepEqual(rows.map((x) => x.A).sort(), [0, 1, 2, 3, 4, 5]);
    assert.equal(new Set(rows.map((x) => x.step)).size, 6);
    assert.equal(runsOf(exp()).length, 1);
  });

  test('--parallel=3 runs steps at once, each in its own folder, recording every result', async () => {
    const s = sandbox();
    const t = Date.now();
    const r = await s.bin(
      'cme',
      'par',
      '--explore.A=range(6)',
      '--parallel=3',
      '-j',
      '--',
      'bash',
      '-c',
      'sleep 1; echo {{A}} > out.txt',
    );
    assert.equal(r.code, 0, r.stderr);
    const elapsed = Date.now() - t;
    const rows = results(r.json().experiment_path2);
    assert.equal(rows.length, 6);
    assert.deepEqual(rows.map((x) => x.A).sort(), [0, 1, 2, 3, 4, 5]);
    for (const row of rows)
      assert.equal(
        readFileSync(join(r.json().experiment_path2, row.uid, 'out.txt'), 'utf8'),
        `${row.A}\n`,
      );
    assert.ok(elapsed < 5500, `6 steps of 1 s with --parallel=3 took ${elapsed} ms`);
  });
});
