#!/usr/bin/env node
// Thin entry: see run-cli.js. `mlcr TAGS` is `cm run script --tags=TAGS` (mlcflow's command).
require('./run-cli.js').run('mlcr');
