// "Reproduce anywhere" through the real CLI over a real git repo: cme --lock records the lockfile
// of each step's cm run script (and --frozen runs each step frozen), README-repro.md has the
// container command, and cm generate appendix writes an Artifact Appendix whose sections are
// filled from the lockfiles, the script's meta and the experiment's results; bad input is named.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cmBin, git, parallel, root, sandbox } from './helpers.js';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const meta = (o) =>
  JSON.stringify({ automation_alias: 'script', automation_uid: '5b4e0237da074764', ...o }, null, 2);

const SECTIONS = [
  '## A.1 Abstract',
  '## A.2 Artifact check-list (meta-information)',
  '## A.3 Description',
  '### A.3.1 How to access',
  '### A.3.2 Hardware dependencies',
  '### A.3.3 Software dependencies',
  '## A.4 Installation',
  '## A.5 Experiment workflow',
  '## A.6 Evaluation and expected results',
  '## A.7 Experiment customization',
  '## A.8 Notes',
];

/** The text between heading `from` and the next heading of the same or a higher level. */
function section(text, from) {
  const start = text.indexOf(`${from}\n`);
  assert.ok(start >= 0, `no section ${from}:\n${text}`);
  const level = from.split(' ')[0];
  const rest = text.slice(start + from.length + 1);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return next < 0 ? rest : rest.slice(0, next);
}

/**
 * A git repo `ap-repo` (ap-app, with a name, description and a flag, depends on ap-tool at 1.0,
 * variation _fast; ap-probe stands alone) registered in a fresh sandbox. ap-app exports
 * CM_AP_RESULT = N * 10 and, in a folder of its own, runs `cm run script "ap probe"` itself:
 * what that nested run saw of CM_RUN_LOCK goes to probe.log.
 */
async function appendixSandbox() {
  const s = sandbox('cm-appendix-');
  const repo = join(s.dir, 'ap-repo');
  const probeLog = join(s.dir, 'probe.log');
  const cm = JSON.stringify(cmBin);
  s.write({
    'ap-repo': {
      'cmr.yaml': 'alias: ap-repo\nuid: 2c0ffee000000001\n',
      script: {
        'ap-app': {
          '_cm.yaml': meta({
            alias: 'ap-app',
            uid: '2c0ffee000000002',
            name: 'The appendix app',
            description: 'Multiplies N by ten, with the tool it needs.',
            tags: ['ap', 'app'],
            deps: [{ tags: 'ap,tool', names: ['ap-tool'] }],
            new_env_keys: ['CM_AP_*'],
            input_description: { scale: { desc: 'how much to scale N', default: '10' } },
          }),
          'run.sh': [
            '#!/bin/bash',
            'echo "CM_AP_RESULT=$(( ${N:-1} * 10 ))" > tmp-run-env.out',
            `(mkdir -p nested && cd nested && node ${cm} run script "ap probe" -s --quiet)`,
            '',
          ].join('\n'),
        },
        'ap-tool': {
          '_cm.yaml': meta({
            alias: 'ap-tool',
            uid: '2c0ffee000000003',
            tags: ['ap', 'tool'],
            cache: true,
            default_version: '1.0',
            variations: {
              fast: { group: 'speed', default: true },
              slow: { group: 'speed' },
            },
          }),
          'run.sh': '#!/bin/bash\ntrue\n',
        },
        'ap-probe': {
          '_cm.yaml': meta({ alias: 'ap-probe', uid: '2c0ffee000000004', tags: ['ap', 'probe'] }),
          'run.sh': `#!/bin/bash\necho "lock=\${CM_RUN_LOCK:-none} frozen=\${CM_RUN_FROZEN:-none}" >> "${probeLog}"\n`,
        },
      },
    },
  });
  for (const name of ['ap-app', 'ap-tool', 'ap-probe'])
    chmodSync(join(repo, 'script', name, 'run.sh'), 0o755);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'remote', 'add', 'origin', 'file:///srv/git/ap-repo.git');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'first');
  const imported = await s.cm('import', 'repo', `--path=${repo}`);
  assert.equal(imported.code, 0, imported.stderr);
  const probes = () =>
    existsSync(probeLog) ? readFileSync(probeLog, 'utf8').split('\n').filter(Boolean) : [];
  return { s, repo, cm, probes, commit: () => git(repo, 'rev-parse', 'HEAD') };
}

/** The step command that runs ap-app (with --repro: cm-output.json and cm-lock.json in the step). */
const appStep = (cm) => `--cmd=node ${cm} run script "ap app" --repro -s --quiet`;

const stepDirs = (runDir) => readdirSync(runDir).filter((n) => /^[0-9a-f]{16}$/.test(n));

describe('cme --lock and --frozen', parallel, () => {
  test('each step records the lockfile of its cm run script; the scripts it runs do not write one', async () => {
    const { s, cm, probes, commit } = await appendixSandbox();
    const r = await s.bin(
      'cme',
      'sweep',
      '--explore.N=[1,2]',
      '--lock',
      '-j',
      `--cmd=node ${cm} run script "ap app" -s --quiet`,
    );
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    const runDir = out.experiment_path2;
    const rows = readJson(join(runDir, 'cm-result.json'));
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row.lockfile, `${row.uid}/cm-lock.json`);
      assert.deepEqual(
        readdirSync(join(runDir, row.uid)).filter((n) => /^cm-lock/.test(n)),
        ['cm-lock.json'],
      );
      const lock = readJson(join(runDir, row.lockfile));
      assert.equal(lock.planned, false);
      assert.equal(lock.tree.script, 'ap-app');
      assert.equal(lock.repos['ap-repo'].commit, commit());
      assert.deepEqual([lock.tree.deps[0].script, lock.tree.deps[0].version], ['ap-tool', '1.0']);
    }
    assert.deepEqual(
      out.lockfiles,
      rows.map((row) => join(runDir, row.lockfile)),
    );
    // ap-app's own `cm run script "ap probe"` saw neither variable.
    assert.deepEqual(probes(), ['lock=none frozen=none', 'lock=none frozen=none']);
  });

  test("--lock=FILE writes a one-step run's lockfile; a sweep, or a step with two, is refused with the reason", async () => {
    const { s, cm } = await appendixSandbox();
    const sweep = await s.bin('cme', 'many', '--explore.N=[1,2]', '--lock=x.json', appStep(cm));
    assert.equal(sweep.code, 1, sweep.stderr);
    assert.match(
      sweep.stderr,
      /--lock=x\.json takes the lockfile of a run of one step; this run has 2 steps/,
    );
    assert.match(sweep.stderr, /hint: use --lock: each step's lockfile is kept in its step folder/);
    assert.ok(!existsSync(s.local('experiment', 'many')), 'a refused sweep made its experiment');

    const one = await s.bin('cme', 'one', '--lock=one.json', '-j', appStep(cm));
    assert.equal(one.code, 0, one.stderr);
    const [written] = one.json().lockfiles;
    assert.deepEqual(readJson(join(s.dir, 'one.json')), readJson(written));

    const two = await s.bin(
      'cme',
      'two',
      '--lock=two.json',
      '-j',
      `--cmd=node ${cm} run script "ap tool" -s && node ${cm} run script "ap probe" -s`,
    );
    assert.equal(two.code, 1, two.stderr);
    assert.match(
      two.stderr,
      /--lock=two\.json: the step ran 2 cm run script commands, each with its lockfile \(.*cm-lock\.json, .*cm-lock-2\.json\)/,
    );
    const runDir = readdirSync(s.local('experiment', 'two')).find((n) => /^\d{4}-/.test(n));
    const [row] = readJson(join(s.local('experiment', 'two'), runDir, 'cm-result.json'));
    assert.deepEqual(row.lockfiles, [`${row.uid}/cm-lock.json`, `${row.uid}/cm-lock-2.json`]);
    assert.equal(
      readJson(join(s.local('experiment', 'two'), runDir, row.lockfiles[1])).tree.script,
      'ap-probe',
    );
    assert.ok(!existsSync(join(s.dir, 'two.json')));
  });

  test('--frozen=FILE runs each step frozen: an unchanged tree runs, a changed one fails the step with the difference', async () => {
    const { s, repo, cm } = await appendixSandbox();
    assert.equal((await s.cm('run', 'script', 'ap app', '--lock=app.json', '-s')).code, 0);
    const same = await s.bin(
      'cme',
      'fz',
      '--frozen=app.json',
      `--cmd=node ${cm} run script "ap app" -s`,
    );
    assert.equal(same.code, 0, same.stderr);
    const toolMeta = join(repo, 'script', 'ap-tool', '_cm.yaml');
    writeFileSync(toolMeta, readFileSync(toolMeta, 'utf8').replace('"1.0"', '"2.0"'));
    git(repo, 'commit', '-qam', 'tool 2.0');
    const changed = await s.bin(
      'cme',
      'fz',
      '--frozen=app.json',
      `--cmd=node ${cm} run script "ap app" -s`,
    );
    assert.equal(changed.code, 2, changed.stderr);
    assert.match(changed.stderr, /1 of 1 steps failed: step 1 \(exit 2\)/);
    assert.match(changed.stderr, /would resolve differently from .*app\.json \(nothing was run\)/);
    assert.match(changed.stderr, /ap-app > ap-tool: version 1\.0 → 2\.0/);
    const missing = await s.bin('cme', 'fz2', '--frozen=nope.json', '--', 'true');
    assert.equal(missing.code, 16, missing.stderr);
    assert.match(missing.stderr, /lockfile .*nope\.json cannot be read/);
    assert.ok(!existsSync(s.local('experiment', 'fz2')), 'a refused run made its experiment');
  });
});

describe('cm generate appendix', parallel, () => {
  test('from a --repro run: every section, filled from the lockfile, cm-output.json and the script meta', async () => {
    const { s, commit } = await appendixSandbox();
    const run = await s.cm('run', 'script', 'ap app', '--adr.ap-tool.tags=_slow', '--repro', '-s');
    assert.equal(run.code, 0, run.stderr);
    // README-repro.md: the run, and the same run in a container.
    const readme = readFileSync(join(s.dir, 'README-repro.md'), 'utf8');
    assert.ok(
      readme.includes(
        "```sh\ncm docker script 'ap app' --adr.ap-tool.tags=_slow --frozen=cm-lock.json\n```",
      ),
      readme,
    );
    // The platform comes from the lockfile, not from the machine writing the appendix.
    const lock = readJson(join(s.dir, 'cm-lock.json'));
    lock.platform = { os: 'plan9', arch: 'mips', node: 'v99.1.0' };
    writeFileSync(join(s.dir, 'cm-lock.json'), JSON.stringify(lock));
    const r = await s.cm('generate', 'appendix', '--lock=cm-lock.json');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Artifact Appendix written to .*appendix\.md \(1 lockfile/);
    const text = readFileSync(join(s.dir, 'appendix.md'), 'utf8');
    let at = -1;
    for (const h of SECTIONS) {
      const i = text.indexOf(`\n${h}\n`);
      assert.ok(i > at, `${h} missing or out of order`);
      at = i;
    }
    assert.match(
      section(text, '## A.1 Abstract'),
      /CM script `ap-app` \(The appendix app\), tags `ap,app`, from the repo `ap-repo`\. Multiplies N by ten/,
    );
    const checklist = section(text, '## A.2 Artifact check-list (meta-information)');
    assert.match(checklist, /\*\*Run-time environment:\*\* plan9 mips, Node v99\.1\.0/);
    assert.match(checklist, /\*\*Reproducibility:\*\* 1 lockfile \(1 distinct resolution\)/);
    assert.ok(
      section(text, '### A.3.1 How to access').includes(
        `\`ap-repo\`: registered, file:///srv/git/ap-repo.git at commit \`${commit()}\``,
      ),
    );
    assert.match(
      section(text, '### A.3.2 Hardware dependencies'),
      /Locked on plan9 mips, Node v99\.1\.0\./,
    );
    const software = section(text, '### A.3.3 Software dependencies');
    assert.match(software, /\| ap-app \| - \| - \| - \| ap-repo \|/);
    assert.match(software, /\| ap-tool \| ap-app \| _slow \| 1\.0 \| ap-repo \|/);
    assert.ok(
      section(text, '## A.4 Installation').includes(
        `cm pull repo file:///srv/git/ap-repo.git --checkout=${commit()}`,
      ),
    );
    const workflow = section(text, '## A.5 Experiment workflow');
    assert.ok(
      workflow.includes("cm run script 'ap app' --adr.ap-tool.tags=_slow --frozen=cm-lock.json"),
    );
    assert.ok(
      workflow.includes("cm docker script 'ap app' --adr.ap-tool.tags=_slow --frozen=cm-lock.json"),
    );
    assert.match(
      section(text, '## A.6 Evaluation and expected results'),
      /\| CM_AP_RESULT \| 10 \|/,
    );
    assert.match(
      section(text, '## A.7 Experiment customization'),
      /`--scale`: how much to scale N \(default: `10`\)/,
    );
    // The frozen command of the appendix runs here.
    const again = await s.cm(
      'run',
      'script',
      'ap app',
      '--adr.ap-tool.tags=_slow',
      '--frozen=cm-lock.json',
      '-s',
    );
    assert.equal(again.code, 0, again.stderr);
  });

  test("from an experiment: its results, its cme command frozen on its steps' lockfile (which runs), --out", async () => {
    const { s, cm } = await appendixSandbox();
    const r = await s.bin(
      'cme',
      'scale',
      '--tags=ap,exp',
      '--explore.N=[1,2]',
      '--lock',
      '-j',
      appStep(cm),
    );
    assert.equal(r.code, 0, r.stderr);
    const runName = r.json().experiment_path2.split('/').pop();
    const g = await s.cm('generate', 'appendix', 'experiment', 'scale', '--out=docs/AE.md', '-j');
    assert.equal(g.code, 0, g.stderr);
    const file = join(s.dir, 'docs', 'AE.md');
    assert.equal(g.json().file, file);
    assert.equal(g.json().lockfiles.length, 2);
    const text = readFileSync(file, 'utf8');
    for (const h of SECTIONS) assert.ok(text.includes(`\n${h}\n`), h);
    assert.match(
      section(text, '## A.1 Abstract'),
      /The experiment `scale` \(tags `ap,exp`\) runs `node .* run script "ap app" --repro -s --quiet` over `N`; its run `[^`]+` recorded 2 results\./,
    );
    assert.match(
      section(text, '## A.2 Artifact check-list (meta-information)'),
      /2 lockfiles \(1 distinct resolution\)/,
    );
    const results = section(text, '## A.6 Evaluation and expected results');
    assert.match(
      results,
      /\| step \| repeat \| N \| exit_code \| duration_s \|.*output\.new_env\.CM_AP_RESULT/,
    );
    assert.match(results, /\| 1 \| 1 \| 1 \| 0 \| [\d.]+ \| 10 \|/);
    assert.match(results, /\| 2 \| 1 \| 2 \| 0 \| [\d.]+ \| 20 \|/);
    // The workflow's commands, run as written (cm and cme on the PATH, from a fresh shell).
    const block = /```sh\n(cd "\$\(cm find experiment scale\)"\n[^\n]+\n[^\n]+)\n```/.exec(text);
    assert.ok(block, text);
    const [cd, cme, replay] = block[1].split('\n');
    assert.match(
      cme,
      new RegExp(
        `^cme scale '--explore.N=\\[1,2\\]' --tags=ap,exp --frozen=${runName}/[0-9a-f]{16}/cm-lock.json '--cmd=node `,
      ),
    );
    assert.equal(replay, `cm replay experiment scale --dir=${runName}`);
    const bin = join(s.dir, 'bin');
    mkdirSync(bin);
    for (const name of ['cm', 'cme']) {
      writeFileSync(
        join(bin, name),
        `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'bin', `${name}.js`)}" "$@"\n`,
      );
      chmodSync(join(bin, name), 0o755);
    }
    const sh = spawnSync('bash', ['-c', `${cd} && ${cme} -s`], {
      cwd: s.dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CM_REPOS: s.home },
    });
    assert.equal(sh.status, 0, sh.stderr);
    const runs = readdirSync(s.local('experiment', 'scale')).filter((n) => /^\d{4}-/.test(n));
    assert.equal(runs.length, 2);
  });

  test('a script alone is planned (nothing runs); nothing usable, a missing lockfile or bad JSON is refused, naming the file', async () => {
    const { s, probes } = await appendixSandbox();
    const planned = await s.cm('generate', 'appendix', 'script', 'ap app', '--out=-');
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stdout, /^# Artifact Appendix\n/);
    assert.match(planned.stdout, /\| ap-tool \| ap-app \| _fast \| 1\.0 \| ap-repo \|/);
    assert.ok(
      planned.stdout.includes("```sh\ncm run script 'ap app' --repro\n```"),
      planned.stdout,
    );
    assert.match(planned.stdout, /Made from a plan of the script \(nothing ran\)/);
    assert.deepEqual(probes(), [], 'the plan ran the script');
    assert.ok(!existsSync(join(s.dir, 'appendix.md')));

    const nothing = await s.cm('generate', 'appendix');
    assert.equal(nothing.code, 1);
    assert.match(
      nothing.stderr,
      /cm generate appendix needs something to describe: a lockfile, a script or an experiment/,
    );
    assert.match(nothing.stderr, /hint: cm generate appendix --lock=cm-lock\.json/);
    const missing = await s.cm('generate', 'appendix', '--lock=gone.json');
    assert.equal(missing.code, 16);
    assert.match(missing.stderr, /lockfile .*gone\.json cannot be read/);
    writeFileSync(join(s.dir, 'bad.json'), '{ "cm_lockfile": 1,');
    const bad = await s.cm('generate', 'appendix', '--lock=bad.json');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad\.json: not JSON/);
    const noRun = await s.cm('generate', 'appendix', 'experiment', 'nosuch');
    assert.match(noRun.stderr, /experiment not found: nosuch/);
    const kind = await s.cm('generate', 'appendix', 'dataset', 'x');
    assert.match(kind.stderr, /"dataset" is neither script nor experiment/);
    assert.ok(!existsSync(join(s.dir, 'appendix.md')), 'a refused appendix was written');
    const help = await s.cm('generate', 'appendix', '--help');
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      /--out=FILE +where to write it \(default appendix\.md; - for stdout\)/,
    );
  });
});
