#!/usr/bin/env node
// Thin entry: see run-cli.js. `mlc ACTION TARGET ...` is mlcflow's command line (src/cli/mlc.ts).
require('./run-cli.js').run('mlc');
