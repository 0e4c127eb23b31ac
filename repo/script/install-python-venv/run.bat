@echo off
rem Untested: create the venv with the interpreter found by the get-python dep.
"%CM_PYTHON_BIN_WITH_PATH%" -m venv "%CM_VIRTUAL_ENV_DIR%"
IF %ERRORLEVEL% NEQ 0 EXIT 1
