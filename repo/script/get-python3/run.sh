#!/bin/bash
# The version of the candidate in CM_PYTHON_BIN_WITH_PATH, for customize.js to parse.
"${CM_PYTHON_BIN_WITH_PATH}" --version > tmp-ver.out 2>&1 || exit 1
