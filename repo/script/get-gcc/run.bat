@echo off
rem Untested: the candidate's --version.
"%CM_GCC_BIN_WITH_PATH%" --version > tmp-ver.out
IF %ERRORLEVEL% NEQ 0 EXIT 1
