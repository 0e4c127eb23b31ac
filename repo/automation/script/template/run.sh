#!/bin/bash
# Native part of the script. The env of the run is exported (CM_* keys, --env.KEY=VALUE, ...).
# CM_TMP_CURRENT_SCRIPT_PATH is this folder; the working folder is the cache entry (cached
# scripts) or the caller's folder. Report values back with KEY=VALUE lines in tmp-run-env.out.

echo "Running ${CM_TMP_CURRENT_SCRIPT_PATH}/run.sh"
# echo "MY_RESULT=42" > tmp-run-env.out

test $? -eq 0 || exit $?
