#!/bin/bash
# MLC scripts get their env with the MLC_ prefix (MLC_HOST_OS_TYPE, MLC_TMP_CURRENT_SCRIPT_PATH ...).
echo "MLC_HELLO_TEXT=hello from ${MLC_HOST_OS_TYPE} (script at ${MLC_TMP_CURRENT_SCRIPT_PATH##*/})" > tmp-run-env.out
