#!/usr/bin/env node
// `mlperf-loadgen synthetic|onnx ...`: see src/mlperf/loadgen/cli.ts. On a machine with few cores
// it runs itself again with V8's thread pool made smaller, so that Server's issue loop keeps a
// core (see src/mlperf/loadgen/runtime/v8-pool.ts).
const args = process.argv.slice(2);
import('../dist/mlperf/loadgen/runtime/v8-pool.js')
  .then(async ({ loadgenNodeFlags, rerunWith }) => {
    const flags = loadgenNodeFlags();
    if (flags.length > 0) return rerunWith(flags, __filename, args);
    const m = await import('../dist/mlperf/loadgen/cli.js');
    return m.main(args);
  })
  .then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`mlperf-loadgen: ${e.message}\n`);
      process.exitCode = 1;
    },
  );
