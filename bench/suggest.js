#!/usr/bin/env node
// `node bench/suggest.js [CATALOG]` (after `npm run build`): wall time of `cm suggest` for plain
// requests over a catalog of scripts, next to `node -e 0` (target: under 300 ms on the
// 300-script published catalog). CATALOG is a repo folder (e.g. a checkout of mlcommons/cm4mlops);
// by default the 300 scripts that `node bench/bench.js` generates (bench/.work/repo-scripts).
// The first search builds the search index (printed apart); the others read it back.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cm = join(root, 'bin', 'cm.js');
const catalog = resolve(process.argv[2] ?? join(root, 'bench', '.work', 'repo-scripts'));
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
if (!existsSync(catalog)) {
  console.log(`no catalog at ${catalog}: run node bench/bench.js first, or give a repo folder`);
  process.exit(0);
}
const work = join(root, 'bench', '.work', 'suggest');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const env = { ...process.env, CM_REPOS: join(work, 'home') };

function wall(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: work, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

wall([cm, 'import', 'repo', `--path=${catalog}`, '-s']);
const first = wall([cm, 'suggest', 'get a python package']);
const requests = [
  'detect the operating system',
  'download the resnet50 model in onnx',
  'run the nvidia implementation of mlperf bert',
  'unpack an archive',
  'pyhton',
];
const node = median(Array.from({ length: RUNS }, () => wall(['-e', '0'])));
const times = [];
for (let k = 0; k < RUNS; k++) for (const q of requests) times.push(wall([cm, 'suggest', q]));
const ms = median(times);
console.log(`catalog: ${catalog}`);
console.log(`${'node -e 0'.padEnd(36)} ${node.toFixed(0).padStart(5)} ms`);
console.log(
  `${'cm suggest, first (builds the index)'.padEnd(36)} ${first.toFixed(0).padStart(5)} ms`,
);
console.log(
  `${'cm suggest (median of all requests)'.padEnd(36)} ${ms.toFixed(0).padStart(5)} ms  < 300 ms  ${ms < 300 ? 'yes' : 'NO'}`,
);
