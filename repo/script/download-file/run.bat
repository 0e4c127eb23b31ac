@echo off
rem Untested: _wget, _curl, _gdown, _rclone commands prepared by customize.js.
if not "%CM_DOWNLOAD_CONFIG_CMD%" == "" (
  %CM_DOWNLOAD_CONFIG_CMD%
  IF %ERRORLEVEL% NEQ 0 EXIT %ERRORLEVEL%
)
if not "%CM_DOWNLOAD_CMD%" == "" (
  %CM_DOWNLOAD_CMD%
  IF %ERRORLEVEL% NEQ 0 EXIT %ERRORLEVEL%
)
