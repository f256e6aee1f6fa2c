#!/usr/bin/env bash
# The resilvet command's own overhead: the same analyzers (resilvet.Suite) on
# the same packages under the resilvet driver and under x/tools'
# multichecker, alternating runs, median of N, peak RSS from /usr/bin/time.
#
#   bench/driver.sh [N] [patterns...]     (default: 5 runs of go/... net/http/...)
#
# Prints one line per run and a summary with the wall-time ratio. Run it on an
# otherwise idle machine: the two drivers share the CPU with nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}; shift || true
patterns=("${@:-go/...}")
[ $# -gt 0 ] || patterns=(go/... net/http/...)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/resilvet" ./cmd/resilvet
go build -o "$out/multichecker" ./bench/multichecker

run() { # name cmd... → prints "wall rss"
	local name=$1; shift
	/usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>&1 || true
	read -r wall rss < <(tail -n 1 "$out/time") # time prepends "Command exited…" on non-zero status
	echo "$name $wall $rss"
}

for i in $(seq "$n"); do
	run resilvet "$out/resilvet" "${patterns[@]}"
	run multichecker "$out/multichecker" -test=false "${patterns[@]}"
done | tee "$out/runs"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
r=$(awk '$1=="resilvet"{print $2}' "$out/runs" | median)
m=$(awk '$1=="multichecker"{print $2}' "$out/runs" | median)
rr=$(awk '$1=="resilvet"{print $3}' "$out/runs" | median)
mr=$(awk '$1=="multichecker"{print $3}' "$out/runs" | median)
echo "median wall: resilvet ${r}s, multichecker ${m}s, ratio $(awk -v a="$r" -v b="$m" 'BEGIN{printf "%.3f", a/b}')"
echo "median peak RSS: resilvet $((rr/1024)) MB, multichecker $((mr/1024)) MB"
