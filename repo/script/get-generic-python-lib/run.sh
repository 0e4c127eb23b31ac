#!/bin/bash
# Write the installed version of CM_GENERIC_PYTHON_PACKAGE_NAME (an empty line when missing).
"${CM_PYTHON_BIN_WITH_PATH}" - > tmp-ver.out <<'PY'
import os, re
name = re.split(r'[\[<>=!~; ]', os.environ.get('CM_GENERIC_PYTHON_PACKAGE_NAME', ''), 1)[0]
try:
    from importlib.metadata import version
    print(version(name) if name else '')
except Exception:
    print('')
PY
test $? -eq 0 || exit 1
