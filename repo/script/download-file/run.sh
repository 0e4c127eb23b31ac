#!/bin/bash
# _wget, _curl, _gdown, _rclone: customize.js prepared the command; _cmutil downloaded already.
if [ -n "${CM_DOWNLOAD_CONFIG_CMD}" ]; then
  echo "Running: ${CM_DOWNLOAD_CONFIG_CMD}"
  eval "${CM_DOWNLOAD_CONFIG_CMD}" || exit $?
fi
if [ -n "${CM_DOWNLOAD_CMD}" ]; then
  echo "Running: ${CM_DOWNLOAD_CMD}"
  eval "${CM_DOWNLOAD_CMD}" || exit $?
fi
exit 0
