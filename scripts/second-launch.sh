#!/usr/bin/env bash
# Second-launch test of the desktop app (issue 17.2): under Xvfb and a private
# D-Bus session bus (Wails' single-instance lock uses it on Linux), starts the
# app on a temporary data directory, waits for its window, launches it a
# second time on the same directory and checks that the second process exits
# by itself within 20 s while the first process and its window are still
# there; then a launch on another data directory must keep running beside it
# (one app per data directory). Screenshot: OUTDIR/second-launch.png.
# Usage: scripts/second-launch.sh BINARY OUTDIR
set -euo pipefail
bin=${1:?usage: second-launch.sh BINARY OUTDIR}
out=${2:?usage: second-launch.sh BINARY OUTDIR}
mkdir -p "$out"
bin=$(realpath "$bin"); out=$(realpath "$out")
data=$(mktemp -d); other=$(mktemp -d)
trap 'rm -rf "$data" "$other"' EXIT

dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -euo pipefail
  bin=$1; data=$2; other=$3; out=$4
  windows() { xwininfo -root -tree 2>/dev/null | grep -c "\"ReliefMesh 聚援\"" || true; }
  # the app and the node of each launch listen on any free port: no clash with 4717
  export RELIEFMESH_LISTEN=/ip4/127.0.0.1/tcp/0
  # WebKit keeps its files in XDG_DATA_HOME/reliefmesh and XDG_CACHE_HOME/reliefmesh
  export XDG_DATA_HOME=$other/xdg-data XDG_CACHE_HOME=$other/xdg-cache
  "$bin" --data-dir "$data" >"$out/second-launch-first.log" 2>&1 &
  first=$!
  trap "kill $first 2>/dev/null || true; kill \${third:-} 2>/dev/null || true" EXIT
  for i in $(seq 1 600); do
    (( $(windows) >= 1 )) && break
    kill -0 $first 2>/dev/null || { echo "second-launch: the first app exited before its window appeared:"; cat "$out/second-launch-first.log"; exit 1; }
    sleep 0.1
  done
  (( $(windows) >= 1 )) || { echo "second-launch: no window of the first app within 60 s"; exit 1; }
  before=$(windows)
  sleep 2 # let the first app claim its D-Bus name after the window maps
  "$bin" --data-dir "$data" >"$out/second-launch-second.log" 2>&1 &
  second=$!
  for i in $(seq 1 200); do kill -0 $second 2>/dev/null || break; sleep 0.1; done
  if kill -0 $second 2>/dev/null; then
    kill $second; echo "second-launch: FAIL: the second launch on the same data directory was still running after 20 s"; cat "$out/second-launch-second.log"; exit 1
  fi
  wait $second && rc=0 || rc=$?
  kill -0 $first 2>/dev/null || { echo "second-launch: FAIL: the first app is gone after the second launch"; exit 1; }
  after=$(windows)
  (( after == before )) || { echo "second-launch: FAIL: $before window(s) before the second launch, $after after"; exit 1; }
  grep -q "launched again" "$out/second-launch-first.log" || { echo "second-launch: FAIL: the first app did not hear of the second launch:"; cat "$out/second-launch-first.log"; exit 1; }
  echo "second-launch: the second launch exited (status $rc) and handed over; the first app and its window are still there"
  # one app per data directory: another directory runs beside it
  "$bin" --data-dir "$other" >"$out/second-launch-other.log" 2>&1 &
  third=$!
  for i in $(seq 1 600); do (( $(windows) > before )) && break; kill -0 $third 2>/dev/null || break; sleep 0.1; done
  (( $(windows) > before )) || { echo "second-launch: FAIL: an app on another data directory did not open a window beside the first:"; cat "$out/second-launch-other.log"; exit 1; }
  echo "second-launch: an app on another data directory runs beside it ($(windows) windows)"
  for i in $(seq 1 300); do # the WebView paints after the window maps
    import -window root "$out/second-launch.png"
    (( $(convert "$out/second-launch.png" -format "%k" info:) > 50 )) && break
    sleep 0.2
  done
  echo "second-launch: screenshot $out/second-launch.png"
' _ "$bin" "$data" "$other" "$out"
