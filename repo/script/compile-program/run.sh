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
# Folders one per line (they may hold spaces); flags are split on spaces as the reference does.
mapfile -t c_inc <<< "${CM_TMP_C_INCLUDE_DIRS}"
mapfile -t cxx_inc <<< "${CM_TMP_CXX_INCLUDE_DIRS}"
mapfile -t lib_dirs <<< "${CM_TMP_LIB_DIRS}"
n=0
compile() { # compiler flags file include-dir...
  local cc="$1" flags="$2" file="$3"
  shift 3
  local base; base="$(basename -- "${file}")"
  n=$((n + 1))
  local obj="${objs}/${n}-${base%.*}.o"
  local args=()
  local d
  for d in "$@"; do [ -n "$d" ] && args+=("-I${d}"); done
  # shellcheck disable=SC2086
  set -- "${cc}" -c ${flags} "${args[@]}" "${file}" -o "${obj}"
  echo "$*"
  "$@" || exit 1
}
IFS=';' read -ra files <<< "${CM_C_SOURCE_FILES}"
for f in "${files[@]}"; do [ -n "$f" ] && compile "${CM_C_COMPILER_WITH_PATH}" "${CM_C_COMPILER_FLAGS}" "$f" "${c_inc[@]}"; done
IFS=';' read -ra files <<< "${CM_CXX_SOURCE_FILES}"
for f in "${files[@]}"; do [ -n "$f" ] && compile "${CM_CXX_COMPILER_WITH_PATH}" "${CM_CXX_COMPILER_FLAGS}" "$f" "${cxx_inc[@]}"; done
libs=()
for d in "${lib_dirs[@]}"; do [ -n "$d" ] && libs+=("-L${d}"); done
# shellcheck disable=SC2086
set -- "${CM_LINKER_WITH_PATH}" ${CM_LINKER_COMPILE_FLAGS} "${objs}"/*.o -o "${out}" "${libs[@]}" ${CM_LINKER_FLAGS}
echo "$*"
"$@" || exit 1
rm -rf "${objs}"
