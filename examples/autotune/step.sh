#!/bin/bash
# One step of the autotune example, run by `cme` in the step folder: compile bench.c with the
# flags of this point through CM's compile-program script, benchmark it with benchmark-program,
# and write cm-output.json = {time: median wall seconds, size: code bytes, ...} for cme to record.
#
# The point comes in the environment, as cme exports the explored variables:
#   OPT (-O1|-O2|-O3), UNROLL, FOMIT, MARCH (a flag or empty), BLOCK (tile edge, optional).
# CM_BIN is the CM command (default: node with this repository's bin/cm.js, so a clone works
# after `npm install`); REPETITIONS the measured runs per step (default 3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -n "${CM_BIN:-}" ]; then
  read -ra cm <<< "${CM_BIN}"
else
  cm=(node "${here}/../../bin/cm.js")
fi

# One space between flags, none around them (an empty flag adds nothing).
read -ra flags <<< "${OPT:-} ${UNROLL:-} ${FOMIT:-} ${MARCH:-}${BLOCK:+ -DBLOCK=${BLOCK}}"
cflags="${flags[*]}"
echo "autotune step: gcc ${cflags}" >&2

# --adr.compiler.tags=gcc: compile-program prefers clang when both are installed.
"${cm[@]}" run script "compile program" --source="${here}/bench.c" --cflags="${cflags}" \
  --output=bench --adr.compiler.tags=gcc --quiet -s >&2
"${cm[@]}" run script "benchmark program" --run_cmd=./bench --repetitions="${REPETITIONS:-3}" \
  --quiet -s >&2

# size: the program's code (.text) in bytes: what the flags change. The file size moves in steps
# of a 4 KiB page, so it is recorded too (file_size) but is no objective.
text="$(size -A bench | awk '$1 == ".text" { print $2 }')"
CFLAGS="${cflags}" TEXT="${text}" node --input-type=module -e '
import { readFileSync, statSync, writeFileSync } from "node:fs";
const results = JSON.parse(readFileSync("cm-benchmark/results.json", "utf8"));
const output = {
  time: results.stats.wall_s.median,
  size: Number(process.env.TEXT),
  file_size: statSync("bench").size,
  time_stdev: results.stats.wall_s.stdev,
  repetitions: results.repetitions,
  cflags: process.env.CFLAGS,
};
if (!Number.isFinite(output.time) || !(output.size > 0)) {
  console.error("autotune step: no time or size measured", output);
  process.exit(1);
}
writeFileSync("cm-output.json", JSON.stringify(output, null, 2) + "\n");
console.error(`autotune step: time ${output.time} s, size ${output.size} bytes`);
'
