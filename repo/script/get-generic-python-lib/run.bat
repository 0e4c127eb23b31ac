@echo off
rem Untested: the installed version of the package.
"%CM_PYTHON_BIN_WITH_PATH%" -c "import os,importlib.metadata as m; n=os.environ.get('CM_GENERIC_PYTHON_PACKAGE_NAME','').split('[')[0]; print(m.version(n))" > tmp-ver.out 2>NUL
exit 0
