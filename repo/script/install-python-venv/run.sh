#!/bin/bash
# Create the venv with the interpreter found by the get-python dep.
echo "${CM_PYTHON_BIN_WITH_PATH} -m venv ${CM_VIRTUAL_ENV_DIR}"
if ! "${CM_PYTHON_BIN_WITH_PATH}" -m venv "${CM_VIRTUAL_ENV_DIR}"; then
  # Debian's python3 without python3-venv has no ensurepip: make the venv without pip.
  rm -rf "${CM_VIRTUAL_ENV_DIR}"
  echo "WARNING: ${CM_PYTHON_BIN_WITH_PATH} cannot install pip into a venv (apt-get install python3-venv fixes that); making it without pip"
  "${CM_PYTHON_BIN_WITH_PATH}" -m venv --without-pip "${CM_VIRTUAL_ENV_DIR}" || exit 1
fi
