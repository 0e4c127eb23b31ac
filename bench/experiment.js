#!/usr/bin/env node
// `node bench/experiment.js` (after `npm run build`; run by `npm run bench`): the two experiment
// targets of issue 14, each as a ratio in one run.
// 1. Sweep overhead: `cme` over 1,000 points of `true` against bash loops running the same command:
//    one shell per command (`bash -c true`), one forked subshell per command (`( true )`, what cme's
//    runner does per step) and the builtin alone; per point: (cme - loop) / 1000 (target <= 5 ms).
// 2. `cm show experiment --pareto ... --stats` over 100,000 recorded results against node reading
//    and JSON.parse-ing the same result files (target <= 2x).
// Prints medians; never fails on numbers.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cm = join(root, 'bin', 'cm.js');
const cme = join(root, 'bin', 'cme.js');
const work = join(root, 'bench', '.work', 'experiment');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const POINTS = Number(process.env.BENCH_POINTS ?? 1000);
const RESULTS = Number(process.env.BENCH_RESULTS ?? 100_000);

rmSync(work, { recursive: true, force: true });
const home = join(work, 'home');
mkdirSync(work, { recursive: true });
const env = { ...process.env, CM_REPOS: home };
delete env.CM_DEBUG;

function timed(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: work, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return ms;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median time of each case, measured in turns (a b a b ...) so that drift hits both. */
function sideBySide(cases) {
  const times = cases.map(() => []);
  for (let k = 0; k < RUNS; k++) cases.forEach(([, f], i) => times[i].push(f(k)));
  return times.map(median);
}

// 1. Sweep overhead.
const [sweep, shells, subshells, builtin] = sideBySide([
  [
    'cme',
    (k) =>
      timed(process.execPath, [
        cme,
        `sweep${k}`,
        `--explore.N=range(${POINTS})`,
        '-s',
        '--',
        'true',
      ]),
  ],
  ['bash -c true', () => timed('bash', ['-c', `for i in $(seq ${POINTS}); do bash -c true; done`])],
  ['( true )', () => timed('bash', ['-c', `for i in $(seq ${POINTS}); do ( true ); done`])],
  ['true', () => timed('bash', ['-c', `for i in $(seq ${POINTS}); do true; done`])],
]);
console.log(
  `experiment benchmark (median of ${RUNS} runs; node ${process.version}; ${process.platform}/${process.arch})`,
);
const per = (base) => ((sweep - base) / POINTS).toFixed(2);
console.log(
  `sweep of ${POINTS} points of true: cme ${sweep.toFixed(0)} ms (target: <= 5 ms a point over a bash loop)`,
);
console.log(`  over a loop of bash -c true (${shells.toFixed(0)} ms): ${per(shells)} ms a point`);
console.log(`  over a loop of ( true ) (${subshells.toFixed(0)} ms): ${per(subshells)} ms a point`);
console.log(
  `  over a loop of the builtin true (${builtin.toFixed(0)} ms): ${per(builtin)} ms a point`,
);

// 2. show --pareto --stats over recorded results: 100 runs of RESULTS/100 results.
const exp = join(home, 'repos', 'local', 'experiment', 'big');
mkdirSync(exp, { recursive: true });
writeFileSync(
  join(exp, '_cm.json'),
  JSON.stringify({
    alias: 'big',
    uid: 'b16b16b16b16b16b',
    automation_alias: 'experiment',
    automation_uid: 'a0a2d123ef064bcb',
    tags: ['bench'],
  }),
);
const perRun = Math.ceil(RESULTS / 100);
const files = [];
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
for (let r = 0; r < 100; r++) {
  const dir = join(
    exp,
    `2026-01-01.00-00-${String(r % 60).padStart(2, '0')}.${String(r).padStart(6, '0')}`,
  );
  mkdirSync(dir, { recursive: true });
  const rows = [];
  for (let i = 0; i < perRun; i++)
    rows.push({
      uid: (r * perRun + i).toString(16).padStart(16, '0'),
      iso_datetime: '2026-01-01T00:00:00.000000',
      step: i + 1,
      repeat: 1 + (i % 3),
      BS: 1 << (i % 8),
      model: `m${i % 5}`,
      time: 1 + rnd(),
      acc: 0.5 + rnd() / 2,
      mem: Math.floor(rnd() * 1e6),
      exit_code: 0,
      duration_s: rnd(),
    });
  const file = join(dir, 'cm-result.json');
  writeFileSync(file, JSON.stringify(rows, null, 2));
  files.push(file);
}
writeFileSync(join(work, 'files.json'), JSON.stringify(files));
const parse = `const fs=require('fs');let n=0;for(const f of JSON.parse(fs.readFileSync(${JSON.stringify(join(work, 'files.json'))},'utf8')))n+=JSON.parse(fs.readFileSync(f,'utf8')).length;if(n!==${perRun * 100})process.exit(1)`;
// Once untimed: the first command in a CM home builds its artifact index.
timed(process.execPath, [cm, 'find', 'experiment', 'big']);
const [show, parseAll] = sideBySide([
  [
    'show',
    () =>
      timed(process.execPath, [
        cm,
        'show',
        'experiment',
        'big',
        '--stats',
        '--group-by=BS,model',
        '--pareto=time#mean:min,acc#mean:max',
        '-s',
      ]),
  ],
  ['node JSON.parse', () => timed(process.execPath, ['-e', parse])],
]);
console.log(
  `show --stats --pareto over ${perRun * 100} results: ${show.toFixed(0)} ms; node reading and parsing them: ${parseAll.toFixed(0)} ms; ratio ${(show / parseAll).toFixed(2)} (target <= 2)`,
);
