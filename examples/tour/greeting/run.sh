#!/bin/bash
text="${GREETING_WORD}, ${GREETING_WHO} from ${CM_HOST_OS_FLAVOR}"
[ "${GREETING_LOUD}" = "yes" ] && text="${text^^}!"
echo "GREETING_TEXT=${text}" > tmp-run-env.out
