#!/usr/bin/env bash
# Checks that generating the Wails bindings (the step `make build` runs through
# `wails build`: it compiles main with the `bindings` tag and runs it) never
# creates or touches the user's data directory. It runs the step with HOME and
# XDG_DATA_HOME pointing at an empty temporary folder (Go's caches stay where
# they are) and fails if anything named reliefmesh appears there.
# Usage: scripts/check-bindings-home.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
home=$(mktemp -d "${TMPDIR:-/tmp}/rm-home.XXXXXX")
trap 'rm -rf "$home"; git checkout --quiet go.mod go.sum frontend/wailsjs/runtime' EXIT
export GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" GOPATH="$(go env GOPATH)"
mkdir -p frontend/dist && [ -n "$(ls -A frontend/dist)" ] || touch frontend/dist/.keep
HOME="$home" XDG_DATA_HOME="$home/.local/share" RELIEFMESH_DATA= \
  go tool wails generate module -tags webkit2_41 >"$home.log" 2>&1 || { cat "$home.log"; rm -f "$home.log"; exit 1; }
rm -f "$home.log"
found=$(find "$home" -mindepth 1 -iname '*reliefmesh*' | head -20)
if [[ -n $found ]]; then
  echo "check-bindings-home: FAIL: generating bindings created the data directory:" >&2
  echo "$found" >&2
  exit 1
fi
echo "check-bindings-home: ok: generating bindings left $home empty of ReliefMesh data ($(find "$home" -mindepth 1 | wc -l) entries in all)"
