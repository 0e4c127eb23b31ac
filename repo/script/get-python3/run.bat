@echo off
rem Untested: the version of the candidate in CM_PYTHON_BIN_WITH_PATH.
"%CM_PYTHON_BIN_WITH_PATH%" --version > tmp-ver.out 2>&1
IF %ERRORLEVEL% NEQ 0 EXIT 1
