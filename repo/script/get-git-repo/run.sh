#!/bin/bash
# Clone CM_GIT_URL into CM_GIT_CHECKOUT_FOLDER (customize.js normalised every input).
folder="${CM_GIT_CHECKOUT_FOLDER:-repo}"
run() {
  echo "$*"
  "$@"
}

if [ ! -e "${CM_TMP_GIT_PATH}" ]; then
  rm -rf -- "${folder}"
  args=(clone)
  [ -n "${CM_TMP_GIT_RECURSE}" ] && [ -z "${CM_GIT_SUBMODULES}" ] && args+=(--recurse-submodules)
  [ -n "${CM_GIT_CLONE_REF}" ] && args+=(-b "${CM_GIT_CLONE_REF}")
  # shellcheck disable=SC2206
  [ -n "${CM_TMP_GIT_DEPTH}" ] && args+=(${CM_TMP_GIT_DEPTH})
  [ -n "${CM_TMP_GIT_DEPTH}" ] && [ -n "${CM_TMP_GIT_RECURSE}" ] && args+=(--shallow-submodules)
  args+=(-- "${CM_GIT_URL}" "${folder}")
  echo "Cloning ${CM_GIT_URL} into ${PWD}/${folder}"
  if ! run git "${args[@]}"; then
    echo "The clone failed; trying once more"
    rm -rf -- "${folder}"
    run git "${args[@]}" || exit $?
  fi
  cd "${folder}" || exit 1
  if [ -n "${CM_GIT_SHA}" ]; then
    run git checkout -b "cm-${CM_GIT_SHA:0:12}" "${CM_GIT_SHA}" || exit $?
    if [ -n "${CM_TMP_GIT_RECURSE}" ] && [ -z "${CM_GIT_SUBMODULES}" ]; then
      run git submodule update --init --recursive || exit $?
    fi
  fi
  cd ..
fi

cd "${folder}" || exit 1
if [ -n "${CM_GIT_PR_TO_APPLY}" ]; then
  run git fetch origin "${CM_GIT_PR_TO_APPLY}:tmp-apply" || exit $?
fi
IFS=',' read -r -a cherrypicks <<< "${CM_GIT_CHERRYPICKS}"
for c in "${cherrypicks[@]}"; do
  [ -z "$c" ] && continue
  run git cherry-pick -n "$c" || exit $?
done
IFS=',' read -r -a submodules <<< "${CM_GIT_SUBMODULES}"
for s in "${submodules[@]}"; do
  [ -z "$s" ] && continue
  run git submodule update --init -- "$s" || exit $?
done
if [ -n "${CM_TMP_GIT_PATCHES}" ]; then
  IFS=',' read -r -a patches <<< "${CM_TMP_GIT_PATCHES}"
  for p in "${patches[@]}"; do
    [ -z "$p" ] && continue
    run git apply -- "$p" || { echo "The patch $p does not apply to ${CM_GIT_URL} at $(git rev-parse --short HEAD)"; exit 1; }
  done
fi
git rev-parse HEAD > ../tmp-cm-git-hash.out || exit $?
