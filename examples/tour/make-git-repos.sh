#!/bin/bash
# Makes two CM repos as bare git repos under ./git, for `cm pull repo` over file:// (no network):
# org@demo (branch dev), whose cmr.yaml needs org@dep.
set -euo pipefail
base="$PWD/git"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git_() { git -c user.name=tour -c user.email=tour@example.org -c init.defaultBranch=main "$@"; }
make_repo() { # NAME CMR_YAML [BRANCH]
  mkdir -p "$work/$1/dataset/$1-data"
  printf '%s\n' "$2" >"$work/$1/cmr.yaml"
  printf '{"alias": "%s-data", "uid": "%s", "tags": ["demo"]}\n' "$1" "$3" >"$work/$1/dataset/$1-data/_cm.json"
  git_ -C "$work/$1" init -q
  git_ -C "$work/$1" add -A
  git_ -C "$work/$1" commit -q -m "$1: first version"
  [ -n "${4:-}" ] && git_ -C "$work/$1" branch "$4"
  git_ clone -q --bare "$work/$1" "$base/$1.git"
}
mkdir -p "$base"
make_repo dep "$(printf 'alias: org@dep\nuid: "0de0000000000001"\n')" 0de0000000000002
make_repo demo "$(printf 'alias: org@demo\nuid: "0de0000000000003"\ndeps:\n  - alias: org@dep\n    url: file://%s/dep.git\n' "$base")" 0de0000000000004 dev
echo "made $base/demo.git (branches main, dev) and $base/dep.git"
