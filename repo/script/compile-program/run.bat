@echo off
rem Untested on Windows: compile with the LLVM compiler.
"%CM_C_COMPILER_WITH_PATH%" %CM_C_COMPILER_FLAGS% %CM_C_SOURCE_FILES:;= % -o "%CM_TMP_COMPILE_OUTPUT%" %CM_LINKER_FLAGS%
IF %ERRORLEVEL% NEQ 0 EXIT 1
