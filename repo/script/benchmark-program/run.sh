#!/bin/bash
# Run CM_TMP_BENCHMARK_CMD (warm-up runs first), one line of times per run for customize.js:
# run, wall µs, the shell's children user/sys times before and after (bash's times), status.
cd "${CM_RUN_DIR}" || exit 1
logs="${CM_TMP_BENCHMARK_LOGS}"
mkdir -p "${logs}" || exit 1
: > "${logs}/times.tsv"
total=$(( ${CM_BENCHMARK_WARMUP:-0} + ${CM_BENCHMARK_REPETITIONS:-1} ))
echo "Running ${total} time(s): ${CM_TMP_BENCHMARK_CMD}"
# Microseconds: bash 5's EPOCHREALTIME (no process started), else date (GNU).
now_us() {
  if [ -n "${EPOCHREALTIME}" ]; then echo "${EPOCHREALTIME/[.,]/}"; else echo $(( $(date +%s%N) / 1000 )); fi
}
for (( n = 1; n <= total; n++ )); do
  # times runs in this shell (not in a $(...) subshell, whose children are not ours), right
  # around the program so that only its CPU time falls in between.
  times > "${logs}/.times0"
  t0=$(now_us)
  bash -c "${CM_TMP_BENCHMARK_CMD}" > "${logs}/run-${n}.out" 2>&1 < /dev/null
  status=$?
  t1=$(now_us)
  times > "${logs}/.times1"
  before=$(tail -n 1 "${logs}/.times0")
  after=$(tail -n 1 "${logs}/.times1")
  printf '%s\t%s\t%s\t%s\t%s\n' "${n}" "$(( t1 - t0 ))" "${before}" "${after}" "${status}" >> "${logs}/times.tsv"
  cp "${logs}/run-${n}.out" "${logs}/console.out"
  if [ "${status}" -ne 0 ]; then
    echo "Run ${n} failed with exit status ${status}; its output:"
    tail -n 20 "${logs}/run-${n}.out"
    exit "${status}"
  fi
done
rm -f "${logs}/.times0" "${logs}/.times1"
exit 0
