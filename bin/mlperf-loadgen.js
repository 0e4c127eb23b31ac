#!/usr/bin/env node
// `mlperf-loadgen synthetic|onnx ...`: see src/mlperf/loadgen/cli.ts.
import('../dist/mlperf/loadgen/cli.js').then(
  (m) => m.main(process.argv.slice(2)).then((code) => (process.exitCode = code)),
  (e) => {
    process.stderr.write(`mlperf-loadgen: ${e.message}\n`);
    process.exitCode = 1;
  },
);
