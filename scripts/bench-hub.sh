#!/usr/bin/env bash
# bench-hub.sh measures the headless hub on the fixture of issue 11 (built by
# bench/cmd/rmfixture: 100,000 demands, 20,000 volunteers, 20,000 offers,
# 50,000 tasks): wall time and peak RSS of
#
#   reliefmesh-hub status --json                       target < 100 ms, < 150 MB
#   reliefmesh-hub export -o bulletin.csv              the bulletin (published, in progress)
#   reliefmesh-hub export --include-unpublished -o all.csv   every open demand
#                                                      target for 100,000: < 3 s
#
# each as a whole process (start-up and opening the store included), on a copy
# of the fixture so the cached one is never written to.
#
# Usage: scripts/bench-hub.sh [FIXTURE_DIR] [RUNS]
#   FIXTURE_DIR  a directory built by rmfixture (default: the cached default
#                fixture under $TMPDIR, built on first use, several minutes)
#   RUNS         timed runs per command (default 5, after 1 warm-up)
#
# It uses farm-bench (median of RUNS, with min and max) when installed, else
# /usr/bin/time -v once per run. Output goes to standard output; nothing is
# written outside a temporary directory, which is removed at the end.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fixture=${1:-}
runs=${2:-5}

if [[ -z "$fixture" ]]; then
	fixture=$(cd "$root/bench" && go run ./cmd/rmfixture | tail -1)
fi
if [[ ! -f "$fixture/fixture.json" ]]; then
	echo "bench-hub: $fixture is not a fixture built by bench/cmd/rmfixture (no fixture.json)" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/reliefmesh-bench-hub.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "# reliefmesh-hub on $fixture ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load:$(uptime | sed 's/.*load average://'))"
echo "# commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (dirty)')"
grep -E '"(demands|volunteers|offers|tasks)"' "$fixture/fixture.json" | tr -d ' ,\n' | sed 's/^/# /'
echo

(cd "$root" && CGO_ENABLED=0 go build -o "$work/reliefmesh-hub" ./cmd/reliefmesh-hub)
cp -a "$fixture" "$work/data"
hub="$work/reliefmesh-hub"
data="$work/data"

# measure NAME CMD...: time and peak RSS of CMD, RUNS times.
measure() {
	local name=$1
	shift
	echo "## $name: $*" | sed "s#$work#\$WORK#g"
	if command -v farm-bench >/dev/null; then
		farm-bench -n "$runs" --warmup 1 --timeout 1800 -- "$@" | sed "s#$work#\$WORK#g"
	else
		for i in $(seq "$runs"); do
			/usr/bin/time -v "$@" 2>"$work/time.txt" >/dev/null
			awk -v run="$i" -F': ' '/Elapsed \(wall clock\)/ {w=$2} /Maximum resident set size/ {r=$2}
				END {printf "run %d: wall %s, peak RSS %.1f MiB\n", run, w, r/1024}' "$work/time.txt"
		done
	fi
	echo
}

measure "status --json" "$hub" status --json --data-dir "$data"
"$hub" status --json --data-dir "$data" | head -c 600 | sed 's/^/    /'
echo
echo

measure "export bulletin (csv)" "$hub" export -o "$work/bulletin.csv" --data-dir "$data"
echo "lines in bulletin.csv: $(wc -l <"$work/bulletin.csv")"
echo

measure "export every open demand (csv, --include-unpublished)" "$hub" export --include-unpublished -o "$work/all.csv" --data-dir "$data"
echo "lines in all.csv: $(wc -l <"$work/all.csv")"
