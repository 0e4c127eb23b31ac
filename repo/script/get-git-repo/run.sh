#!/bin/bash
# Clone CM_GIT_URL into CM_GIT_CHECKOUT_FOLDER (customize.js normalised every input).
folder="${CM_GIT_CHECKOUT_FOLDER:-repo}"
run() {
  echo "$*"
  "$@"
}

# customize.js checked that an existing "${folder}" is an earlier clone of ours (marked in .git).
if [ -e "${folder}" ]; then
  if [ ! -f "${folder}/.git/cm-get-git-repo" ]; then
    echo "${PWD}/${folder} exists and was not cloned by get-git-repo: not touching it"
    exit 1
  fi
  rm -rf -- "${folder}"
fi
# Clone into a temporary name: a failed clone never leaves a half-made "${folder}".
tmp="${folder}.cm-clone-$$"
rm -rf -- "${tmp}"
args=(clone)
[ -n "${CM_TMP_GIT_RECURSE}" ] && [ -z "${CM_GIT_SUBMODULES}" ] && args+=(--recurse-submodules)
[ -n "${CM_GIT_CLONE_REF}" ] && args+=(-b "${CM_GIT_CLONE_REF}")
# shellcheck disable=SC2206
[ -n "${CM_TMP_GIT_DEPTH}" ] && args+=(${CM_TMP_GIT_DEPTH})
[ -n "${CM_TMP_GIT_DEPTH}" ] && [ -n "${CM_TMP_GIT_RECURSE}" ] && args+=(--shallow-submodules)
args+=(-- "${CM_GIT_URL}" "${tmp}")
echo "Cloning ${CM_GIT_URL} into ${PWD}/${folder}"
if ! run git "${args[@]}"; then
  echo "The clone failed; trying once more"
  rm -rf -- "${tmp}"
  run git "${args[@]}"
  status=$?
  if [ "${status}" -ne 0 ]; then
    rm -rf -- "${tmp}"
    exit "${status}"
  fi
fi
if [ -n "${CM_GIT_SHA}" ]; then
  (cd "${tmp}" && run git checkout -b "cm-${CM_GIT_SHA:0:12}" "${CM_GIT_SHA}") || { rm -rf -- "${tmp}"; exit 1; }
  if [ -n "${CM_TMP_GIT_RECURSE}" ] && [ -z "${CM_GIT_SUBMODULES}" ]; then
    (cd "${tmp}" && run git submodule update --init --recursive) || { rm -rf -- "${tmp}"; exit 1; }
  fi
fi
touch "${tmp}/.git/cm-get-git-repo"
mv -- "${tmp}" "${folder}" || exit 1

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
