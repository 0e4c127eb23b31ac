#!/bin/bash
# _wget, _curl, _gdown, _rclone: customize.js prepared the command; _cmutil downloaded already.
if [ -n "${CM_DOWNLOAD_CONFIG_CMD}" ]; then
  echo "Running: ${CM_DOWNLOAD_CONFIG_CMD}"
  eval "${CM_DOWNLOAD_CONFIG_CMD}" || exit $?
fi
if [ -n "${CM_DOWNLOAD_CMD}" ]; then
  echo "Running: ${CM_DOWNLOAD_CMD_SHOWN:-${CM_DOWNLOAD_CMD}}"
  # The tool's stderr is also kept in PART.log, and its exit status goes back to postprocess,
  # which says what a failure means (a stall, an HTTP error ...) and what is kept to resume.
  eval "${CM_DOWNLOAD_CMD}" 2> >(tee "${CM_TMP_DOWNLOAD_PART}.log" >&2)
  echo "CM_TMP_DOWNLOAD_TOOL_STATUS=$?" >> tmp-run-env.out
fi
exit 0
