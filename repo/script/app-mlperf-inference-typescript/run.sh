#!/bin/bash
# The run's `mlperf-loadgen onnx` command (customize.js); nothing when a valid run is already there.
if [ -z "${CM_MLPERF_RUN_CMD}" ]; then
  echo "Valid results are already in ${CM_MLPERF_OUTPUT_DIR} (--rerun runs again)"
  exit 0
fi
echo "Running: ${CM_MLPERF_RUN_CMD}"
eval "${CM_MLPERF_RUN_CMD}"
