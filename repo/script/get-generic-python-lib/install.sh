#!/bin/bash
# pip install the package (or CM_GENERIC_PYTHON_PIP_URL) into CM_PYTHON_BIN_WITH_PATH's environment.
what="${CM_GENERIC_PYTHON_PIP_URL:-${CM_GENERIC_PYTHON_PACKAGE_NAME}${CM_TMP_PIP_VERSION_STRING}}"
# shellcheck disable=SC2086
set -- "${CM_PYTHON_BIN_WITH_PATH}" -m pip install "${what}" ${CM_GENERIC_PYTHON_PIP_EXTRA}
echo "$*"
"$@" 2>&1 | tee tmp-pip.log
exit "${PIPESTATUS[0]}"
