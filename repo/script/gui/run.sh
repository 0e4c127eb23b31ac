#!/bin/bash
# Serves the playground until stopped (Ctrl-C).
echo "Running: ${CM_GUI_RUN_CMD}"
eval "exec ${CM_GUI_RUN_CMD}"
