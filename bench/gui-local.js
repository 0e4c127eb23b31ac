#!/usr/bin/env node
// `node bench/gui-local.js` (after `npm run build`; run by `npm run bench`): the playground's query
// target on the local backend (files). Writes 100,000 results (4 experiments × 5 runs) into a CM
// home, then times POST /api/query (filter Accuracy > 75, derived eff = Result / Result_Power,
// Pareto eff:max,Accuracy:max, limit 500) through app.request(): the first query (files read and
// parsed), then the median of 5 (rows cached by file stamps). Target <= 300 ms. Never fails on
// numbers.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCm } from '../dist/index.js';
import { createApp } from '../dist/server/app.js';
import { OPEN_ACCESS } from '../dist/server/auth.js';
import { standardRoutes } from '../dist/server/routes/standard.js';
import { LocalStore } from '../dist/server/store/local/local-store.js';
import { QUERY, resultOf } from './gui-results.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', '.work', 'gui-local');
const RESULTS = Number(process.env.BENCH_RESULTS ?? 100_000);
const EXPERIMENTS = 4;
const RUNS = 5;
const MEASURED = 5;

function writeResults(home) {
  const repo = join(home, 'repos', 'local');
  const perRun = Math.ceil(RESULTS / (EXPERIMENTS * RUNS));
  let k = 0;
  for (let e = 0; e < EXPERIMENTS; e++) {
    const dir = join(repo, 'experiment', `bench-${e}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, '_cm.json'),
      JSON.stringify({
        alias: `bench-${e}`,
        uid: `be00000000000${String(e).padStart(3, '0')}`,
        automation_alias: 'experiment',
        automation_uid: 'a0a2d123ef064bcb',
        tags: ['bench', `e${e}`],
      }),
    );
    for (let r = 0; r < RUNS; r++) {
      const run = join(dir, `2025-01-0${r + 1}.10-00-00.000000`);
      mkdirSync(run);
      const rows = [];
      for (let i = 0; i < perRun && k < RESULTS; i++) rows.push(resultOf(k++));
      writeFileSync(join(run, 'cm-result.json'), JSON.stringify(rows, null, 2));
    }
  }
  return k;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

rmSync(work, { recursive: true, force: true });
const home = join(work, 'CM');
const cm = createCm({ home, env: { CM_REPOS: home } });
await cm.access({ action: 'find', automation: 'experiment' });
const written = writeResults(home);
const app = createApp({
  store: new LocalStore(cm),
  auth: OPEN_ACCESS,
  version: 'bench',
  allowExec: false,
  watch: false,
  cm,
  extensions: [standardRoutes],
});
const query = async () => {
  const t = performance.now();
  const res = await app.request('/api/query', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(QUERY),
  });
  const body = await res.json();
  if (res.status !== 200 || body.errors.length > 0)
    throw new Error(`query failed: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return { ms: performance.now() - t, body };
};
const first = await query();
const times = [];
for (let i = 0; i < MEASURED; i++) times.push((await query()).ms);
console.log(
  `gui local: POST /api/query over ${written} results (filter, derived metric, Pareto): ` +
    `first ${first.ms.toFixed(0)} ms (files read), then median ${median(times).toFixed(0)} ms of ` +
    `${MEASURED} (target <= 300 ms); ${first.body.total} rows kept, ${first.body.frontier.length} on the front`,
);
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
