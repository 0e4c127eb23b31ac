@echo off
rem Untested: the candidate's --version.
"%CM_CMAKE_BIN_WITH_PATH%" --version > tmp-ver.out
IF %ERRORLEVEL% NEQ 0 EXIT 1
