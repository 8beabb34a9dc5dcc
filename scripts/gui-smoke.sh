#!/usr/bin/env bash
# GUI smoke test: starts the production binary under Xvfb with a temporary data
# dir, waits (polling, with a deadline) for its window to be mapped, takes a
# screenshot into the test-output folder and fails if the window never appears
# or the screenshot is blank (a single colour).
set -euo pipefail
bin=${1:?usage: gui-smoke.sh BINARY OUTDIR}
out=${2:?usage: gui-smoke.sh BINARY OUTDIR}
mkdir -p "$out"
bin=$(realpath "$bin"); out=$(realpath "$out")
data=$(mktemp -d)
log="$out/gui-smoke.log"
trap 'rm -rf "$data"' EXIT

xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -euo pipefail
  bin=$1; data=$2; out=$3; log=$4
  "$bin" --data-dir "$data" >"$log" 2>&1 &
  pid=$!
  trap "kill $pid 2>/dev/null || true" EXIT
  # 1. the window: poll the X tree for a mapped window named like the app.
  for i in $(seq 1 600); do
    if xwininfo -root -tree 2>/dev/null | grep -q "ReliefMesh"; then found=1; break; fi
    kill -0 $pid 2>/dev/null || { echo "gui-smoke: the app exited before its window appeared; log:"; cat "$log"; exit 1; }
    sleep 0.1
  done
  [[ ${found:-} == 1 ]] || { echo "gui-smoke: no ReliefMesh window within 60 s; log:"; cat "$log"; exit 1; }
  # 2. the page: the WebView paints after the window maps; poll until the
  #    screenshot has more than a handful of colours (a blank window has one).
  for i in $(seq 1 300); do
    import -window root "$out/gui-smoke.png"
    colours=$(convert "$out/gui-smoke.png" -format "%k" info:)
    if (( colours > 50 )); then echo "gui-smoke: window up, screenshot $out/gui-smoke.png ($colours colours)"; exit 0; fi
    sleep 0.2
  done
  echo "gui-smoke: the screenshot stayed blank ($colours colours): $out/gui-smoke.png"; cat "$log"; exit 1
' _ "$bin" "$data" "$out" "$log"
