#!/usr/bin/env node
// `node bench/loadgen.js` (after `npm run build`; run by `npm run bench`): our LoadGen's figures
// against the official LoadGen's for the same runs, and LoadGen's own cost. The official figure:
// LoadGen 6.0.17 built from mlcommons/inference and driven by a C++ twin of `mlperf-loadgen
// synthetic`, on this 2-core VM (9,999.99; the spec's oracle run gave about 9,970).
// 1. Offline, synthetic SUT of 100 us per sample, target 10,000 QPS, 1 s: samples/s (target:
//    within 2 %).
// 2. SingleStream with a SUT that completes inside issueQuery: queries/s (target >= 100,000).
// 3. Server at 5,000 QPS with that SUT: issue delay p99 (target <= 100 us).
// Prints medians; never fails on numbers. It runs as `mlperf-loadgen` does: on a machine with few
// cores, again in a Node with V8's thread pool made smaller (src/mlperf/loadgen/runtime/v8-pool.ts).
import { join } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pool = await import(join(root, 'dist', 'mlperf', 'loadgen', 'runtime', 'v8-pool.js'));
const flags = pool.loadgenNodeFlags();
if (flags.length > 0)
  process.exit(await pool.rerunWith(flags, fileURLToPath(import.meta.url), process.argv.slice(2)));
const { loadgen } = await import(join(root, 'dist', 'index.js'));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const OFFICIAL_OFFLINE = 9999.99;

function settings(scenario, conf) {
  const r = loadgen.loadUserConfig(loadgen.defaultTestSettings(), conf, 'resnet50', scenario, {
    userConfsLoaded: 0,
  });
  return { ...r.settings, scenario, mode: 'PerformanceOnly' };
}

/** A SUT that answers every sample inside issueQuery. */
const instant = {
  name: () => 'instant SUT',
  issueQuery: (samples) => loadgen.querySamplesComplete(samples.map((s) => ({ id: s.id }))),
  flushQueries: () => {},
};

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const noFiles = { logSettings: { outdir: '' } };

const offline = [];
const ssRate = [];
const p99 = [];
for (let k = 0; k < RUNS; k++) {
  const off = await loadgen.startTest(
    new loadgen.SyntheticSut(100),
    new loadgen.SyntheticQsl(),
    settings(
      'Offline',
      '*.Offline.target_qps = 10000\n*.Offline.min_duration = 1000\n*.Offline.min_query_count = 1\n',
    ),
    noFiles,
  );
  offline.push(off.results[0].samplesPerSecond);
  const n = 300_000;
  const t = process.hrtime.bigint();
  const ss = await loadgen.startTest(
    instant,
    new loadgen.SyntheticQsl(),
    settings(
      'SingleStream',
      `*.SingleStream.min_query_count = ${n}\n*.SingleStream.max_query_count = ${n}\n*.SingleStream.min_duration = 0\n*.SingleStream.target_latency = 0.001\n`,
    ),
    noFiles,
  );
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  ssRate.push(ss.results[0].queryCount / seconds);
  const srv = await loadgen.startTest(
    instant,
    new loadgen.SyntheticQsl(),
    settings('Server', '*.Server.target_qps = 5000\n*.Server.min_duration = 2000\n'),
    noFiles,
  );
  const d = [...srv.issueDelaysNs].sort((a, b) => (a < b ? -1 : 1));
  p99.push(Number(d[Math.floor(d.length * 0.99)]) / 1000);
}
// The machine's own timer jitter: the same clock and sleep, 10,000 deadlines 200 us apart, no LoadGen.
const { sleepUntil, nowNs } = await import(
  join(root, 'dist', 'mlperf', 'loadgen', 'runtime', 'clock.js')
);
const jitter = [];
for (let k = 0; k < RUNS; k++) {
  const start = nowNs();
  const late = [];
  for (let i = 0; i < 10_000; i++) {
    const d = start + BigInt(i) * 200_000n;
    await sleepUntil(d);
    late.push(Number(nowNs() - d));
  }
  late.sort((a, b) => a - b);
  jitter.push(late[Math.floor(late.length * 0.99)] / 1000);
}
const off = median(offline);
const nodeFlags = process.execArgv.filter((a) => a.startsWith('--v8-pool-size')).join(' ');
console.log(
  `LoadGen benchmark (median of ${RUNS} runs; node ${process.version}${nodeFlags ? ` ${nodeFlags}` : ''})`,
);
console.log(
  `Offline 100 us/sample, 10,000 QPS, 1 s: ${off.toFixed(0)} samples/s; official ${OFFICIAL_OFFLINE}: ${(((off - OFFICIAL_OFFLINE) / OFFICIAL_OFFLINE) * 100).toFixed(1)} % (target within 2 %)`,
);
console.log(
  `SingleStream, SUT completing at once: ${median(ssRate).toFixed(0)} queries/s (target >= 100000) over the whole test (generation, logs)`,
);
console.log(
  `Server 5,000 QPS: issue delay p99 ${median(p99).toFixed(1)} us (target <= 100 us); this machine's sleep alone, 5,000/s: p99 ${median(jitter).toFixed(1)} us late`,
);
