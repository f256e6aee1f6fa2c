#!/usr/bin/env bash
# samefindings.sh BIN OUT: run resilvet binary BIN with every rule of every
# analyzer on (and runtime fixes offered, so that every fix is compared too)
# over std and over each module pinned by bench/corpus and bench/programs,
# writing go vet's -json tree of each target to OUT/<target>.json.
#
# Two runs compare with `diff -r OUT1 OUT2`: a restructuring that must not
# change what any analyzer reports (findings, messages, positions, fixes)
# shows no difference. See docs/decisions.md ("Behaviour preserved").
set -euo pipefail
if [ $# -ne 2 ]; then
	echo "usage: bench/samefindings.sh BIN OUT" >&2
	exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
# Every analyzer the binary has, from its help (two-space indented names).
flags=$("$bin" help | awk '/^  [a-z0-9]+  / { printf "-%s.rules=+all ", $1 }')

# SAMEFINDINGS_ONLY, an extended regular expression, limits the targets to
# those whose name (std, or the module path with / as _) it matches: a
# quicker check, which the full run must still confirm.
only=${SAMEFINDINGS_ONLY:-}

# One target: the packages named on the command line, run from dir.
run() {
	local name=$1 dir=$2
	shift 2
	if [ -n "$only" ] && ! echo "$name" | grep -Eq -- "$only"; then
		return
	fi
	# Exit status 1 (findings) and 2 (a package that does not load) are
	# expected; the JSON tree records both.
	(cd "$dir" && GOWORK=off GOPROXY=off "$bin" -json -runtimefixes $flags "$@" >"$out/$name.json" 2>"$out/$name.stderr") || true
	echo "samefindings: $name: $(grep -c '"posn"' "$out/$name.json" || true) findings" >&2
}

run std . std
# The library corpus (bench/corpus) and the programs corpus (bench/programs,
# daemons with main packages): every module they pin directly.
for corpus in bench/corpus bench/programs; do
	for mod in $(cd $corpus && GOWORK=off go list -m -f '{{if not .Indirect}}{{if not .Main}}{{.Path}}{{end}}{{end}}' all); do
		name=$(echo "$mod" | tr / _)
		if [ -n "$only" ] && ! echo "$name" | grep -Eq -- "$only"; then
			continue
		fi
		# The module's own packages that load: M/... also matches packages of
		# other modules whose paths start with M.
		pkgs=$(cd $corpus && GOWORK=off GOPROXY=off go list -e \
			-f '{{if and (not .Error) (not .DepsErrors) .Module}}{{if eq .Module.Path "'"$mod"'"}}{{.ImportPath}}{{end}}{{end}}' \
			"$mod/..." 2>/dev/null || true)
		if [ -z "$pkgs" ]; then
			# Say so: a comparison of nothing is not a pass.
			echo "samefindings: $mod: no package loads (GOWORK=off go mod download in $corpus?)" >&2
			: >"$out/$name.pkgs"
			continue
		fi
		# Which packages load depends on the module cache: a module that
		# some package imports but the host's go.mod lacks (as
		# tailscale.com/client/tailscale/v2 for tailscale.com) fails only
		# that package while its zip is absent, and makes go list refuse
		# the whole pattern once something fetched it. The list is written
		# beside the findings, so that diff -r shows two runs that compared
		# different packages.
		echo "$pkgs" >"$out/$name.pkgs"
		# shellcheck disable=SC2086 # one argument per package
		run "$name" $corpus $pkgs
	done
done
