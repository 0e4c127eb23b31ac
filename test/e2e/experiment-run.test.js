// End-to-end: cme / cm run experiment — the artifact, the run and step folders, the command and its
// {{VAR}} substitution, what is recorded (spec experiment.md §9 scenarios 1-13, 23-29).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parallel, sandbox } from './helpers.js';

const RUN_NAME = /^\d{4}-\d\d-\d\d\.\d\d-\d\d-\d\d\.\d{6}$/;

/** The experiment artifacts of the local repo: [{dir, meta}]. */
function experiments(s) {
  const root = s.local('experiment');
  if (!existsSync(root)) return [];
  return readdirSync(root).map((n) => ({
    dir: join(root, n),
    meta: JSON.parse(readFileSync(join(root, n, '_cm.json'), 'utf8')),
  }));
}
const runsOf = (artifactDir) =>
  readdirSync(artifactDir)
    .filter((n) => RUN_NAME.test(n))
    .sort();
const stepsOf = (runDir) => readdirSync(runDir).filter((n) => /^[0-9a-f]{16}$/.test(n));
const results = (runDir) => JSON.parse(readFileSync(join(runDir, 'cm-result.json'), 'utf8'));

describe('cme runs a command and records it', parallel, () => {
  test('scenarios 1-2: one artifact tagged as asked, one run folder per run, reused by tags', async () => {
    const s = sandbox();
    const r = await s.bin('cme', '--tags=my,hello', '--', 'echo', 'Hello World!');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Hello World!$/m);
    let exps = experiments(s);
    assert.equal(exps.length, 1);
    const { dir, meta } = exps[0];
    assert.deepEqual(meta.tags, ['my', 'hello']);
    assert.equal(meta.automation_alias, 'experiment');
    assert.equal(meta.automation_uid, 'a0a2d123ef064bcb');
    assert.match(dir, /[0-9a-f]{16}$/);
    assert.equal(runsOf(dir).length, 1);
    const again = await s.bin('cme', '--tags=my,hello', '--', 'echo', 'Hello World!');
    assert.equal(again.code, 0, again.stderr);
    exps = experiments(s);
    assert.equal(exps.length, 1);
    assert.equal(exps[0].meta.uid, meta.uid);
    assert.equal(runsOf(dir).length, 2);
    const found = await s.cm('find', 'experiment', '--tags=my,hello');
    assert.equal(found.stdout.trim(), dir);
    const byUid = await s.cm('find', 'experiment', meta.uid);
    assert.equal(byUid.stdout.trim(), dir);
  });

  test('scenario 3: a named experiment is found by its name whatever the tags', async () => {
    const s = sandbox();
    assert.equal((await s.cm('run', 'experiment', 'hello-exp', '--tags=x', '--', 'true')).code, 0);
    const r = await s.cm('run', 'experiment', 'hello-exp', '--tags=y', '--', 'true');
    assert.equal(r.code, 0, r.stderr);
    const exps = experiments(s);
    assert.equal(exps.length, 1);
    assert.equal(exps[0].meta.alias, 'hello-exp');
    assert.deepEqual(exps[0].meta.tags, ['x']);
    assert.equal(runsOf(exps[0].dir).length, 2);
  });

  test('scenario 4: repo: records into that repository', async () => {
    const s = sandbox();
    const init = await s.cm('init', 'repo', 'myrepo', `--path=${join(s.dir, 'myrepo')}`);
    assert.equal(init.code, 0, init.stderr);
    const r = await s.cm('run', 'experiment', 'myrepo:', '--tags=t', '-j', '--', 'true');
    assert.equal(r.code, 0, r.stderr);
    const path = r.json().experiment_path;
    assert.match(path, /myrepo[\\/]experiment[\\/][0-9a-f]{16}$/);
    assert.equal(experiments(s).length, 0);
  });

  test('scenario 5: two artifacts with the tag and no terminal: an error, nothing runs', async () => {
    const s = sandbox();
    await s.cm('add', 'experiment', 'a', '--tags=dup');
    await s.cm('add', 'experiment', 'b', '--tags=dup');
    const r = await s.bin('cme', '--tags=dup', '--', 'touch', join(s.dir, 'ran'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /more than 1 experiment artifact/);
    assert.equal(existsSync(join(s.dir, 'ran')), false);
  });
});

describe('the command and {{VAR}}', parallel, () => {
  test('scenarios 7-9: {{CD}} is where cme was typed; the step runs in its step folder', async () => {
    const s = sandbox();
    const r = await s.bin(
      'cme',
      '--tags=t',
      '-j',
      '--',
      'echo',
      '{{CD}}',
      '{{CM_EXPERIMENT_STEP}}',
      '{{CM_EXPERIMENT_PATH3}}',
      '&&',
      'pwd',
    );
    assert.equal(r.code, 0, r.stderr);
    const runDir = r.json().experiment_path2;
    const [step] = stepsOf(runDir);
    const stepDir = join(runDir, step);
    // With -j the command's output goes to stderr (stdout is the JSON).
    const lines = r.stderr.split('\n');
    assert.ok(lines.includes(`${s.dir} 1 ${stepDir}`), r.stderr);
    assert.ok(
      lines.some((l) => l !== '' && existsSync(l) && realpathSync(l) === realpathSync(stepDir)),
      r.stderr,
    );
  });

  test('scenario 10: an unknown {{NAME}} fails before anything runs, naming it', async () => {
    const s = sandbox();
    const r = await s.bin('cme', '--tags=t', '--', 'echo', '{{NOPE}}');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NOPE/);
    assert.equal(experiments(s).length, 0);
  });

  test('scenario 11: an unterminated {{ is an error at once', async () => {
    const s = sandbox();
    const t = Date.now();
    const r = await s.bin('cme', '--tags=t', '--', 'echo', '{{UNTERMINATED');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /\{\{|unterminated|column/i);
    assert.ok(Date.now() - t < 5000);
  });

  test('scenarios 12-13: a word with a space stays one argument; --env reaches the command', async () => {
    const s = sandbox();
    const r = await s.bin('cme', '--tags=t', '--env.FOO=bar', '--', 'echo', 'a  b', '$FOO');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^a {2}b bar$/m);
    const e = await s.bin('cme', '--tags=t', '--env.FOO=bar', '--', 'bash', '-c', 'echo $FOO');
    assert.match(e.stdout, /^bar$/m);
  });

  test('--cmd="..." is the command as written (CMX form)', async () => {
    const s = sandbox();
    const r = await s.bin('cme', '--tags=t', '--cmd=echo "x y" | tr x z');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^z y$/m);
  });
});

describe('what a step records', parallel, () => {
  test('scenarios 23-24, 26-27: typed flat results, no leaking keys, the inputs as typed, a wrapper that replays', async () => {
    const s = sandbox();
    s.write({
      'in.yaml': 'explore:\n  N: [1, 2]\n',
      'out.sh': `if [ "$N" = 1 ]; then echo '{"a":{"b":1},"s":"x","only1":true}' > cm-output.json; else echo '{"a":{"b":2}}' > cm-output.json; fi\necho step $N\n`,
    });
    const r = await s.bin('cme', '--tags=t', '@in.yaml', '-j', '--', 'bash', join(s.dir, 'out.sh'));
    assert.equal(r.code, 0, r.stderr);
    const runDir = r.json().experiment_path2;
    const rows = results(runDir);
    assert.equal(rows.length, 2);
    assert.equal(rows[0]['a.b'], 1);
    assert.equal(rows[0].s, 'x');
    assert.equal(rows[0].N, 1);
    assert.equal(rows[0].exit_code, 0);
    assert.equal(typeof rows[0].duration_s, 'number');
    assert.match(rows[0].iso_datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    assert.ok(existsSync(join(runDir, rows[0].uid)));
    assert.equal(rows[1]['a.b'], 2);
    assert.equal('only1' in rows[1], false);
    assert.equal('s' in rows[1], false);
    const runInput = JSON.parse(readFileSync(join(runDir, 'cm-input.json'), 'utf8'));
    assert.deepEqual(runInput.unparsed_cmd, ['bash', join(s.dir, 'out.sh')]);
    assert.deepEqual(runInput.explore, { N: [1, 2] });
    assert.equal('parsed_artifact' in runInput, false);
    assert.equal('cmd' in runInput, false);
    const stepInput = JSON.parse(readFileSync(join(runDir, rows[1].uid, 'cm-input.json'), 'utf8'));
    assert.equal(stepInput.action, 'native-run');
    assert.equal(stepInput.env.N, '2');
    assert.match(stepInput.command, /out\.sh/);
    const again = spawnSync('bash', ['tmp-native-run.sh'], {
      cwd: join(runDir, rows[1].uid),
      encoding: 'utf8',
    });
    assert.equal(again.stdout, 'step 2\n');
    const prov = JSON.parse(readFileSync(join(runDir, 'cm-run.json'), 'utf8'));
    assert.equal(typeof prov.host.cpu_cores, 'number');
    assert.ok(prov.cm_version);
  });

  test('scenario 25: a failing step is recorded, the sweep goes on and exits non-zero; --fail-fast stops', async () => {
    const s = sandbox();
    const r = await s.bin(
      'cme',
      'f',
      '--explore.N=[1,2,3]',
      '-j',
      '--',
      'bash',
      '-c',
      '[ {{N}} != 2 ] || exit 3',
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /1 of 3 steps failed/);
    const exp = experiments(s)[0];
    const [run] = runsOf(exp.dir);
    const rows = results(join(exp.dir, run));
    assert.deepEqual(
      rows.map((x) => x.exit_code),
      [0, 3, 0],
    );
    const ff = await s.bin(
      'cme',
      'f',
      '--explore.N=[1,2,3]',
      '--fail-fast',
      '--',
      'bash',
      '-c',
      '[ {{N}} != 2 ] || exit 3',
    );
    assert.notEqual(ff.code, 0);
    const second = runsOf(exp.dir)[1];
    assert.deepEqual(
      results(join(exp.dir, second)).map((x) => x.exit_code),
      [0, 3],
    );
  });

  test('a step that kills the shell running it is recorded as failed, and the next steps still run', async () => {
    const s = sandbox();
    const r = await s.bin(
      'cme',
      'k',
      '--explore.N=[1,2,3]',
      '-j',
      '--cmd=[ {{N}} != 2 ] || kill -9 $$',
    );
    assert.notEqual(r.code, 0);
    const rows = results(join(s.local('experiment', 'k'), runsOf(s.local('experiment', 'k'))[0]));
    assert.deepEqual(
      rows.map((x) => [x.N, x.exit_code !== 0]),
      [
        [1, false],
        [2, true],
        [3, false],
      ],
    );
  });

  test('scenario 29: a cm run script --repro step records the scripts it resolved', async () => {
    const s = sandbox();
    const cm = JSON.stringify(join(process.cwd(), 'bin', 'cm.js'));
    const r = await s.bin(
      'cme',
      'repro',
      '-j',
      `--cmd=node ${cm} run script "detect os" --repro -s --quiet`,
    );
    assert.equal(r.code, 0, r.stderr);
    const runDir = r.json().experiment_path2;
    const [row] = results(runDir);
    assert.match(row['info.run_uid'], /^[0-9a-f]{16}$/);
    const prov = JSON.parse(readFileSync(join(runDir, 'cm-run.json'), 'utf8'));
    assert.ok(
      prov.scripts.some((x) => x.alias === 'detect-os'),
      JSON.stringify(prov.scripts),
    );
  });
});
