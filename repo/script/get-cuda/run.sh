#!/bin/bash
# nvcc -V of the candidate, for customize.js (nothing to run for _lib-only).
[ "${CM_CUDA_FULL_TOOLKIT_INSTALL}" = "no" ] && exit 0
"${CM_NVCC_BIN_WITH_PATH:-nvcc}" -V > tmp-ver.out || exit 1
