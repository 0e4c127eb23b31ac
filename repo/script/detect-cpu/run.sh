#!/bin/bash
# Raw facts for customize.js: lscpu (sysctl hw.* on macOS) plus memory and disk capacity.
rm -f tmp-lscpu.out
if [ "${CM_HOST_OS_FLAVOR}" = "macos" ]; then
  sysctl -a 2>/dev/null | grep '^hw\.' > tmp-lscpu.out
  exit 0
fi
if command -v lscpu >/dev/null 2>&1; then
  LC_ALL=C lscpu > tmp-lscpu.out || rm -f tmp-lscpu.out
fi
{
  if command -v free >/dev/null 2>&1; then
    echo "CM_HOST_MEMORY_CAPACITY=$(LC_ALL=C free -h --si | awk '/^Mem:/ {print $2}')"
  fi
  if command -v df >/dev/null 2>&1; then
    echo "CM_HOST_DISK_CAPACITY=$(LC_ALL=C df -h --total -l 2>/dev/null | awk '$1 == "total" {print $2}')"
  fi
} >> tmp-run-env.out
exit 0
