@echo off
rem Untested: raw CPU facts for customize.js (kept in state.host_device_raw_info).
systeminfo /fo csv > tmp-systeminfo.csv
wmic cpu get /FORMAT:csv > tmp-wmic-cpu.csv
