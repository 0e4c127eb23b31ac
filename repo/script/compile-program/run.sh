#!/bin/bash
# Compile every source into tmp-objs/, then link them into CM_TMP_COMPILE_OUTPUT.
out="${CM_TMP_COMPILE_OUTPUT}"
if [ "${CM_SKIP_RECOMPILE}" = "yes" ] && [ -f "${out}" ]; then
  echo "${out} exists: not compiling again (CM_SKIP_RECOMPILE=yes)"
  exit 0
fi
mkdir -p "$(dirname "${out}")" || exit 1
rm -f "${out}"
objs="${PWD}/tmp-objs"
rm -rf "${objs}" && mkdir -p "${objs}" || exit 1
"${CM_C_COMPILER_WITH_PATH:-${CM_CXX_COMPILER_WITH_PATH}}" ${CM_C_COMPILER_FLAG_VERSION:---version} | head -n 1
cd "${CM_SOURCE_FOLDER_PATH:-.}" || exit 1
n=0
compile() { # compiler flags includes file
  local base; base="$(basename -- "$4")"
  n=$((n + 1))
  local obj="${objs}/${n}-${base%.*}.o"
  # shellcheck disable=SC2086
  set -- "$1" -c $2 $3 "$4" -o "${obj}"
  echo "$*"
  "$@" || exit 1
}
IFS=';' read -ra files <<< "${CM_C_SOURCE_FILES}"
for f in "${files[@]}"; do [ -n "$f" ] && compile "${CM_C_COMPILER_WITH_PATH}" "${CM_C_COMPILER_FLAGS}" "${CM_C_INCLUDE_PATH}" "$f"; done
IFS=';' read -ra files <<< "${CM_CXX_SOURCE_FILES}"
for f in "${files[@]}"; do [ -n "$f" ] && compile "${CM_CXX_COMPILER_WITH_PATH}" "${CM_CXX_COMPILER_FLAGS}" "${CM_CPLUS_INCLUDE_PATH}" "$f"; done
# shellcheck disable=SC2086
set -- "${CM_LINKER_WITH_PATH}" ${CM_LINKER_COMPILE_FLAGS} "${objs}"/*.o -o "${out}" ${CM_LD_LIBRARY_PATH} ${CM_LINKER_FLAGS}
echo "$*"
"$@" || exit 1
rm -rf "${objs}"
