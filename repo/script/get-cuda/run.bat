@echo off
rem Untested: nvcc -V of the candidate.
if "%CM_CUDA_FULL_TOOLKIT_INSTALL%" == "no" exit 0
"%CM_NVCC_BIN_WITH_PATH%" -V > tmp-ver.out
IF %ERRORLEVEL% NEQ 0 EXIT 1
