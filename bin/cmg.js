#!/usr/bin/env node
// Thin entry: see run-cli.js.
require('./run-cli.js').run('cmg');
