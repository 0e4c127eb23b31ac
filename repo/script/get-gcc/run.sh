#!/bin/bash
# The candidate's --version, for customize.js to parse.
"${CM_GCC_BIN_WITH_PATH}" --version > tmp-ver.out || exit 1
