#!/bin/bash
# Collect raw facts about the host; customize.js turns them into CM_HOST_OS_* keys.
{
  echo "CM_HOST_OS_MACHINE=$(uname -m)"
  echo "CM_HOST_OS_KERNEL_VERSION=$(uname -r)"
  echo "CM_HOST_SYSTEM_NAME=$(uname -n)"
  echo "CM_HOST_OS_BITS=$(getconf LONG_BIT 2>/dev/null || echo 64)"
  if command -v ldd >/dev/null 2>&1; then
    echo "CM_HOST_OS_GLIBC_VERSION=$(ldd --version 2>&1 | head -n 1 | grep -oE '[0-9]+\.[0-9]+' | tail -n 1)"
  fi
  if [ -f /etc/os-release ]; then
    . /etc/os-release
    echo "CM_HOST_OS_FLAVOR=${ID}"
    echo "CM_HOST_OS_FLAVOR_LIKE=${ID_LIKE:-${ID}}"
    echo "CM_HOST_OS_VERSION=${VERSION_ID}"
    echo "CM_HOST_OS_NAME=${PRETTY_NAME}"
  elif [ "$(uname -s)" = "Darwin" ]; then
    echo "CM_HOST_OS_FLAVOR=macos"
    echo "CM_HOST_OS_FLAVOR_LIKE=macos"
    echo "CM_HOST_OS_VERSION=$(sw_vers -productVersion 2>/dev/null)"
  fi
  if df -PT . >/dev/null 2>&1; then
    df -PT . | awk 'NR==2 {print "CM_HOST_OS_FILE_SYSTEM_TYPE=" $2; print "CM_HOST_OS_FILE_SYSTEM_FREE_KB=" $5; print "CM_HOST_OS_FILE_SYSTEM_MOUNT=" $7}'
  fi
} > tmp-run-env.out
uname -a > tmp-uname.out
test $? -eq 0 || exit $?
