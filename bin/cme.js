#!/usr/bin/env node
// Thin entry: the CLI is bundled into one CommonJS file for fast start-up (scripts/bundle-cli.js).
require('../dist/cm.cjs')
  .main(process.argv.slice(2), 'cme')
  .then((code) => {
    process.exitCode = code;
  });
