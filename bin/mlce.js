#!/usr/bin/env node
// Thin entry: see run-cli.js. `mlce TAGS` is mlcflow's `mlc experiment script TAGS` (cm run experiment).
require('./run-cli.js').run('mlce');
