#!/usr/bin/env node
// `node bench/parallel-deps.js` (after `npm run build`): wall time of `cm run script par root`, a
// script with 4 independent deps that each sleep 1 s in a cache entry of their own (a fresh
// CM_PARRUN each run: never reused; test/fixtures/par-catalog), one after the other and with
// --parallel=4 (target: at most 1.3 s), and `node -e 0` for scale. Prints medians; never fails
// on numbers.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cm = join(root, 'bin', 'cm.js');
const work = join(root, 'bench', '.work', 'parallel');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

rmSync(work, { recursive: true, force: true });
const home = join(work, 'home');
const cwd = join(work, 'cwd');
mkdirSync(cwd, { recursive: true });
const env = { ...process.env, CM_REPOS: home };
for (const k of ['CM_DEBUG', 'CM_PARALLEL', 'MLC_PARALLEL']) delete env[k];

function cmRun(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cm, ...args], { cwd, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`cm ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

cmRun(['import', 'repo', `--path=${join(root, 'test', 'fixtures', 'par-catalog')}`]);
const base = ['run', 'script', '--tags=par,root', '--quiet', '-s', '-j'];
const cases = [
  ['one after the other', base, ''],
  ['--parallel=4', [...base, '--parallel=4'], '<= 1300 ms'],
];
const envOf = (out) => JSON.stringify(JSON.parse(out.stdout).new_env);
const rows = [];
let sequentialEnv;
for (const [name, args, target] of cases) {
  const times = [];
  let sameEnv = true;
  for (let k = 0; k < RUNS; k++) {
    const r = cmRun([...args, `--env.CM_PARRUN=${name.replace(/\W/g, '')}-${k}`]);
    times.push(r.ms);
    sequentialEnv ??= envOf(r);
    sameEnv &&= envOf(r) === sequentialEnv;
  }
  rows.push({ name, ms: median(times), target, sameEnv });
}
// The machine's own start-up and exit of a process, measured now: the wall time of --parallel=4
// is the 1 s sleep, this, and CM's share (printed), so that a slow moment of a VM can be told
// from a slower CM.
const bare = [];
for (let k = 0; k < RUNS; k++) {
  const t = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  bare.push(Number(process.hrtime.bigint() - t) / 1e6);
}
const nodeMs = median(bare);
for (const r of rows)
  console.log(
    `${r.name.padEnd(22)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.target.padEnd(12)} ${r.sameEnv ? 'new_env as one after the other' : 'new_env DIFFERS'}`,
  );
const parallel = rows.find((r) => r.name === '--parallel=4');
console.log(
  `${'node -e 0'.padEnd(22)} ${nodeMs.toFixed(0).padStart(6)} ms  (CM's share of --parallel=4 beyond the 1 s sleep and node itself: ${(parallel.ms - 1000 - nodeMs).toFixed(0)} ms)`,
);
