#!/bin/bash
# Run the install command customize.js prepared (nothing when the tool was found).
[ -z "${CM_SYS_UTIL_INSTALL_CMD}" ] && exit 0
echo "${CM_SYS_UTIL_INSTALL_CMD}"
bash -c "${CM_SYS_UTIL_INSTALL_CMD}" < /dev/null
status=$?
if [ "${status}" -ne 0 ]; then
  case "${CM_TMP_FAIL_SAFE}" in yes|true|True|1|on) fail_safe=1 ;; esac
  if [ -n "${fail_safe}" ]; then
    echo "CM_GET_GENERIC_SYS_UTIL_INSTALL_FAILED=yes" >> tmp-run-env.out
    echo "The install failed (status ${status}); --fail_safe: going on"
    exit 0
  fi
  exit "${status}"
fi
