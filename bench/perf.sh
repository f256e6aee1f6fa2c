#!/usr/bin/env bash
# Suite speed: resilvet standalone against the load floor, staticcheck and
# go vet, and go vet -vettool=resilvet against plain go vet, on the same
# package sets. See bench/README.md.
#
#   bench/perf.sh [-quick] [-cold] [-n N] [-vn N] [-doc] [-keep]
#
#   -quick  go/... only, one run of each: checks the script in a few minutes
#   -cold   also time the standalone tools with an empty GOCACHE (second table)
#   -n N    runs of each standalone tool per set (default 3; median reported)
#   -vn N   runs of go vet and go vet -vettool=resilvet per set (default 5)
#   -doc    write the tables to docs/performance.md, section "## Suite speed"
#   -keep   keep the work directory (binaries, caches, raw runs)
#   -wait M first wait up to M minutes for the 1-minute load average to fall
#           below 1
#   -report DIR  measure nothing: print (and with -doc write) the tables of
#           an earlier run kept with -keep in DIR
#   -incr   measure incremental runs instead (see incremental below): cold,
#           nothing changed, one leaf file changed, one widely imported file
#           changed, on std, two corpus modules and two programs, with the
#           targets of issue 20 checked; with -doc, section "## Incremental
#           runs"; with -quick, toxiproxy only
#   -only ERE  with -incr, measure only the sets whose name matches ERE
#           (std, raft, go-redis, toxiproxy, mochi-mqtt); not with -doc,
#           whose table must have every set
#
# Every timed run gets its own copy of one prepared GOCACHE per set, so that
# all tools start from the same state: dependencies compiled (as go build and
# go vet need them) and go list's cgo output cached, but no analysis result
# of any tool. With -cold, the standalone tools are also timed from an empty
# GOCACHE, where go vet and staticcheck (which reads export data) compile
# every dependency first. staticcheck always gets an empty cache of its own
# (STATICCHECK_CACHE, XDG_CACHE_HOME). Runs alternate between the tools and
# the order rotates each round. Only meaningful on an idle machine: the load
# average is recorded with every run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
args="$*"
n=3 vn=5 quick=false cold=false doc=false keep=false wait=0 report= incr=false only=
while [ $# -gt 0 ]; do
	case $1 in
	-quick) quick=true n=1 vn=1 ;;
	-cold) cold=true ;;
	-n) n=$2; shift ;;
	-vn) vn=$2; shift ;;
	-doc) doc=true ;;
	-keep) keep=true ;;
	-wait) wait=$2; shift ;;
	-report) report=$2; shift ;;
	-incr) incr=true ;;
	-only) only=$2; shift ;;
	*) echo "usage: bench/perf.sh [-quick] [-cold] [-incr] [-only ERE] [-n N] [-vn N] [-doc] [-keep] [-wait M] [-report DIR]" >&2; exit 2 ;;
	esac
	shift
done

# Package sets: name, then patterns. The corpus modules are run from
# bench/corpus, which pins them.
sets=(
	"std|go/... net/http/..."
	"raft|github.com/hashicorp/raft/..."
	"go-redis|github.com/redis/go-redis/v9/..."
	"nats-server|github.com/nats-io/nats-server/v2/..."
)

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
med() { awk -v s="$1" -v t="$2" -v c="$3" '$1==s && $2==t {print $c}' "$work/runs" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
mb() { awk -v k="$1" 'BEGIN{ printf "%d", k/1024 }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN{ print (r != "n/a" && r <= t) ? "met" : "**not met**" }'; }

# render prints the tables of the runs in $work (and writes them to the docs
# with -doc), from $work/meta's description of the measuring run.
render() {
	local tools=(resilvet floor staticcheck vet)
	$cold && tools+=(resilvet.cold floor.cold staticcheck.cold vet.cold)
	rm -f "$work/ratios" "$work/cold"
	{

	echo "Measured $date by \`bench/perf.sh $args\` on $machine,"
	echo "$gov, resilvet at $commit."
	echo "Load average (1, 5, 15 min): $start_load at the start, $end_load at the end (it counts the"
	echo "benchmark's own processes). Other processes used $(awk -v n="$(nproc)" '{o += $8; w += $4} END {printf "%.1f%%", w ? 100 * o / (w * n) : 0}' "$work/runs")"
	echo "of the machine's CPU time during the timed runs (/proc/stat less the timed tool's own time;"
	echo "worst run: $(awk -v n="$(nproc)" '$4 > 0 {f = 100 * $8 / ($4 * n); if (f > m) {m = f; r = $2 " on " $1 ", run " $3}} END {printf "%.0f%%, %s", m, r}' "$work/runs"))."
	echo "Median wall time and peak RSS of $n runs ($vn for the vet-tool comparison). go vet's RSS"
	echo "is that of its largest single process (it runs one vet process per package); staticcheck"
	echo "runs with \`-tests=false\`, since resilvet does not load test files by default, while go"
	echo "vet always vets them."
	echo
	echo "Warm build cache (dependencies compiled, no analysis results cached; a fresh copy per run):"
	echo
	echo "| set | resilvet | floor | staticcheck (empty cache) | go vet | resilvet/floor wall | resilvet/floor RSS | resilvet/staticcheck | go vet | go vet -vettool=resilvet | vet-tool/vet |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	for s in "${sets[@]}"; do
		name=${s%%|*}
		declare -A w r
		for t in "${tools[@]}" vet.pair vettool; do
			w[$t]=$(med "$name" "$t" 4)
			r[$t]=$(med "$name" "$t" 5)
		done
		cell() { echo "${w[$1]} s, $(mb "${r[$1]}") MB"; }
		echo "| \`${s#*|}\` | $(cell resilvet) | $(cell floor) | $(cell staticcheck) | $(cell vet) | $(ratio "${w[resilvet]}" "${w[floor]}") | $(ratio "${r[resilvet]}" "${r[floor]}") | $(ratio "${w[resilvet]}" "${w[staticcheck]}") | ${w[vet.pair]} s | ${w[vettool]} s | $(ratio "${w[vettool]}" "${w[vet.pair]}") |"
		echo "$name $(ratio "${w[resilvet]}" "${w[floor]}") $(ratio "${r[resilvet]}" "${r[floor]}") $(ratio "${w[resilvet]}" "${w[staticcheck]}") $(ratio "${w[vettool]}" "${w[vet.pair]}")" >>"$work/ratios"
		if $cold; then
			echo "$name|${s#*|}|$(cell resilvet.cold)|$(cell floor.cold)|$(cell staticcheck.cold)|$(cell vet.cold)|$(ratio "${w[resilvet.cold]}" "${w[floor.cold]}")|$(ratio "${r[resilvet.cold]}" "${r[floor.cold]}")|$(ratio "${w[resilvet.cold]}" "${w[staticcheck.cold]}")" >>"$work/cold"
		fi
		unset w r
	done
	if $cold; then
		echo
		echo "Empty GOCACHE for every run (go list runs cgo; go vet and staticcheck compile every dependency):"
		echo
		echo "| set | resilvet | floor | staticcheck (empty cache) | go vet | resilvet/floor wall | resilvet/floor RSS | resilvet/staticcheck |"
		echo "|---|---|---|---|---|---|---|---|"
		while IFS='|' read -r name pats a b c d e f g; do
			echo "| \`$pats\` | $a | $b | $c | $d | $e | $f | $g |"
		done <"$work/cold"
	fi
	echo
	echo "Targets (DESIGN.md, Performance), warm build cache:"
	echo
	echo "| set | wall ≤ 1.15× floor | RSS ≤ 1.2× floor | ≤ 0.1× staticcheck | vet-tool ≤ 1.10× vet |"
	echo "|---|---|---|---|---|"
	while read -r name fw fr sc vt; do
		echo "| $name | $fw: $(verdict "$fw" 1.15) | $fr: $(verdict "$fr" 1.2) | $sc: $(verdict "$sc" 0.1) | $vt: $(verdict "$vt" 1.10) |"
	done <"$work/ratios"
	if $cold; then
		echo
		echo "The same targets from an empty GOCACHE (vet-tool/vet is measured warm only):"
		echo
		echo "| set | wall ≤ 1.15× floor | RSS ≤ 1.2× floor | ≤ 0.1× staticcheck |"
		echo "|---|---|---|---|"
		while IFS='|' read -r name pats a b c d fw fr sc; do
			echo "| $name | $fw: $(verdict "$fw" 1.15) | $fr: $(verdict "$fr" 1.2) | $sc: $(verdict "$sc" 0.1) |"
		done <"$work/cold"
	fi
	if awk '$6 > 1 {f = 1} END {exit !f}' "$work/runs"; then
		echo
		echo "Some runs exited with a status above 1 (the tool failed); their times are in the medians:"
		echo
		awk '$6 > 1 {print "- " $2 " on " $1 ", run " $3 ": exit " $6}' "$work/runs"
	fi
	} >"$work/table.md"
	cat "$work/table.md"
	if $doc; then
		"$bin/mdsection" "$root/docs/performance.md" "## Suite speed" <"$work/table.md"
		echo "perf: wrote docs/performance.md, section \"## Suite speed\"" >&2
	fi
}

# render_incr prints the incremental table and the targets from
# $work/incr-rows.
render_incr() {
	local rows=$work/incr-rows
	imed() { awk -v s="$1" -v t="$2" -v p="$3" -v c="$4" '$1==s && $2==t && $3==p && $c != "" {print $c}' "$rows" | median; }
	# drivers prints the distinct driver fields of a cell's runs.
	drivers() { awk -v s="$1" -v t="$2" -v p="$3" '$1==s && $2==t && $3==p && !seen[$9]++ {printf "%s%s", n++ ? " " : "", $9}' "$rows"; }
	loads() { awk -v s="$1" '$1==s {if (min == "" || $8 < min) min = $8; if ($8 > max) max = $8} END {print (min == max) ? min : min "–" max}' "$rows"; }
	# cpu prints ", N s CPU" for a tool's cold runs, when the runs
	# recorded their user and system time.
	cpu() { local c; c=$(imed "$1" "$2" cold 10); [ -z "$c" ] || echo ", $c s CPU"; }
	pm() { awk -v r="$1" -v t="$2" 'BEGIN{ print (r != "n/a" && r != "" && r <= t) ? "PASS" : "MISS" }'; }
	{
	echo "Measured $date by \`bench/perf.sh $args\` on $(nproc) cores, $(go version | cut -d' ' -f3-),"
	echo "resilvet at $commit."
	echo "Load average (1, 5, 15 min): $start_load at the start, $end_load at the end; the 1-minute load at the"
	echo "start of each set's runs is in the last column. Median wall time and peak RSS of $n round(s); each"
	echo "cell is one run after the previous row's, in the same caches. \"analysed/cached\": the packages"
	echo "resilvet's incremental driver analysed and read from its cache (RESILVET_DEBUG=cache)."
	if awk 'NF >= 10 {f = 1} END {exit !f}' "$rows"; then
		echo "CPU: user + system time of the cold runs, which the load disturbs less than wall time."
	fi
	echo
	echo "| set | run | resilvet | analysed/cached | go vet -vettool=resilvet | staticcheck | floor | load |"
	echo "|---|---|---|---|---|---|---|---|"
	local s name host mod pats step
	for s in "${isets[@]}"; do
		IFS='|' read -r name host mod pats <<<"$s"
		for step in cold warm leaf core; do
			local rw rr
			rw=$(imed "$name" resilvet "$step" 5); rr=$(imed "$name" resilvet "$step" 6)
			[ -z "$rw" ] && continue
			local label floorcell="" loadcell=""
			case $step in
			cold) label="cold (empty caches)" floorcell="$(imed "$name" floor cold 5) s, $(mb "$(imed "$name" floor cold 6)") MB$(cpu "$name" floor) ($(drivers "$name" floor cold))" loadcell=$(loads "$name") ;;
			warm) label="nothing changed" ;;
			leaf)
				label="one leaf file changed"
				local flw
				flw=$(imed "$name" floor leaf 5)
				[ -n "$flw" ] && floorcell="$flw s, $(mb "$(imed "$name" floor leaf 6)") MB ($(drivers "$name" floor leaf))"
				;;
			core) label="one widely imported file changed" ;;
			esac
			local rc=""
			[ "$step" = cold ] && rc=$(cpu "$name" resilvet)
			echo "| $name | $label | $rw s, $(mb "$rr") MB$rc | $(drivers "$name" resilvet "$step") | $(imed "$name" vettool "$step" 5) s, $(mb "$(imed "$name" vettool "$step" 6)") MB | $(imed "$name" staticcheck "$step" 5) s, $(mb "$(imed "$name" staticcheck "$step" 6)") MB | $floorcell | $loadcell |"
		done
	done
	echo
	echo "Targets (issue 20): cold wall ≤ 1.15× the floor's; cold peak RSS ≤ staticcheck's cold; nothing"
	echo "changed ≤ 1.5× go vet -vettool=resilvet's nothing-changed rerun; one leaf file changed ≤ 0.20×"
	echo "resilvet's cold run. In brackets: for the cold runs, the ratio of their CPU times and the lowest"
	echo "and highest ratio of one round's two cold runs; for the leaf, the floor's own leaf run against its cold run, what parsing"
	echo "and type-checking the edited package and the driver cost before any analyzer runs. A set where"
	echo "resilvet or the floor fell back to the whole-graph driver misses every target: its numbers"
	echo "are not the incremental driver's."
	echo
	echo "| set | cold wall ≤ 1.15× floor | RSS ≤ staticcheck | nothing changed ≤ 1.5× vet-tool | leaf ≤ 0.20× cold |"
	echo "|---|---|---|---|---|"
	for s in "${isets[@]}"; do
		IFS='|' read -r name host mod pats <<<"$s"
		local cw cr fw sr ww vw lw fb=""
		cw=$(imed "$name" resilvet cold 5); cr=$(imed "$name" resilvet cold 6)
		fw=$(imed "$name" floor cold 5); sr=$(imed "$name" staticcheck cold 6)
		ww=$(imed "$name" resilvet warm 5); vw=$(imed "$name" vettool warm 5)
		lw=$(imed "$name" resilvet leaf 5)
		[ -n "$cw" ] || continue # not measured (-quick)
		if awk -v s="$name" '$1==s && ($2=="resilvet" || $2=="floor") && ($9=="fallback" || $9=="unknown") {f = 1} END {exit !f}' "$rows"; then
			fb=" (fell back)"
		fi
		local a b c d
		a=$(ratio "$cw" "$fw"); b=$(ratio "$cr" "$sr"); c=$(ratio "$ww" "$vw")
		local cc cf ac="" pr
		cc=$(imed "$name" resilvet cold 10); cf=$(imed "$name" floor cold 10)
		[ -n "$cc" ] && ac=" (CPU $(ratio "$cc" "$cf"))"
		# The ratio of each round's two cold runs, lowest to highest: how
		# far the machine's speed moved between rounds, which the ratio
		# of the medians does not show.
		pr=$(awk -v s="$name" '$1==s && $3=="cold" && ($2=="resilvet" || $2=="floor") {w[$2 " " $4] = $5; r[$4] = 1}
			END {for (k in r) if (w["floor " k] > 0 && w["resilvet " k] != "") {x = w["resilvet " k] / w["floor " k]; if (lo == "" || x < lo) lo = x; if (x > hi) hi = x}
				if (lo != "") printf "%.2f–%.2f", lo, hi}' "$rows")
		[ -n "$pr" ] && ac="${ac%)}; rounds $pr)"
		d=n/a
		[ -n "$lw" ] && d=$(ratio "$lw" "$cw")
		# The floor's own leaf/cold: what the package's parsing, type
		# checking and the driver leave for any analyzer.
		local flw ad=""
		flw=$(imed "$name" floor leaf 5)
		[ -n "$flw" ] && [ -n "$fw" ] && ad=" (floor $(ratio "$flw" "$fw"))"
		verdict4() { if [ -n "$fb" ]; then echo "MISS$fb"; else pm "$1" "$2"; fi; }
		echo "| $name | $a$ac: $(verdict4 "$a" 1.15) | $(mb "$cr") vs $(mb "$sr") MB: $(verdict4 "$b" 1) | $c: $(verdict4 "$c" 1.5) | $d$ad: $(verdict4 "$d" 0.20) |"
	done
	if awk '$7 > 1 {f = 1} END {exit !f}' "$rows"; then
		echo
		echo "Some runs exited with a status above 1 (the tool failed); their times are in the medians:"
		echo
		awk '$7 > 1 {print "- " $2 " (" $3 ") on " $1 ", round " $4 ": exit " $7}' "$rows"
	fi
	} >"$work/incr.md"
	cat "$work/incr.md"
	if $doc; then
		"$bin/mdsection" "$root/docs/performance.md" "## Incremental runs" <"$work/incr.md"
		echo "perf: wrote docs/performance.md, section \"## Incremental runs\"" >&2
	fi
}

# Sets of the incremental measurement: name, the host module that pins the
# module's version (bench/NAME; std's patterns run from it), the module,
# copied and run in its copy (std: GOROOT), patterns.
isets=(
	"std|corpus|std|go/... net/http/..."
	"raft|corpus|github.com/hashicorp/raft|github.com/hashicorp/raft/..."
	"go-redis|corpus|github.com/redis/go-redis/v9|github.com/redis/go-redis/v9/..."
	"toxiproxy|programs|github.com/Shopify/toxiproxy/v2|github.com/Shopify/toxiproxy/v2/..."
	"mochi-mqtt|programs|github.com/mochi-mqtt/server/v2|github.com/mochi-mqtt/server/v2/..."
)
if [ -n "$report" ] && $incr; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	cp "$report/incr-rows" "$work/"
	# shellcheck source=/dev/null
	. "$report/incr-meta" # the measuring run's arguments and loads
	: "${end_load:=$(cut -d' ' -f1-3 /proc/loadavg) (when reported: the run did not finish)}"
	bin=$work/bin
	(cd "$root" && go build -o "$bin/mdsection" ./bench/mdsection)
	render_incr
	exit 0
fi
if [ -n "$report" ]; then
	work=$(mktemp -d) # render's scratch files; the kept run is only read
	trap 'rm -rf "$work"' EXIT
	cp "$report/runs" "$report/meta" "$work/"
	# shellcheck source=/dev/null
	. "$work/meta" # the measuring run's arguments, date, versions and loads
	$quick && sets=("std-go|go/...")
	bin=$work/bin
	(cd "$root" && go build -o "$bin/mdsection" ./bench/mdsection)
	render
	exit 0
fi
$quick && sets=("std-go|go/...")

work=$(mktemp -d /tmp/resilvet-perf.XXXXXX)
$keep || trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
bin=$work/bin
mkdir -p "$bin"
proxy=$(go env GOPROXY) # for the one step that may download: a module copy's requirements
export GOWORK=off GOPROXY=off
cd "$root"
# Building may download (a fresh clone has an empty module cache); the
# timed runs may not.
GOWORK= GOPROXY=$proxy go build -o "$bin/resilvet" ./cmd/resilvet
GOWORK= GOPROXY=$proxy go build -o "$bin/floor" ./bench/floor
GOWORK= GOPROXY=$proxy go build -o "$bin/mdsection" ./bench/mdsection
for dir in bench/corpus bench/programs; do
	(cd "$dir" && GOPROXY=$proxy go mod download) || { echo "perf: cannot download $dir's requirements" >&2; exit 1; }
done
(cd bench/corpus && go build -o "$bin/staticcheck" honnef.co/go/tools/cmd/staticcheck)
cd bench/corpus

# prepare SET PATTERNS...: the GOCACHE every run of SET starts from. go vet
# with floor as its vet tool compiles everything go vet needs (test variants
# included) without caching go vet's or resilvet's results (a different
# tool makes different action IDs); floor standalone runs go list -compiled
# as go/packages does.
prepare() {
	local c=$work/cache/$1; shift
	mkdir -p "$c"
	GOCACHE=$c go vet -vettool="$bin/floor" "$@" >/dev/null 2>&1 || true
	GOCACHE=$c RESILVET_CACHE=off "$bin/floor" "$@" >/dev/null 2>&1 || true
}

# run SET TOOL ROUND PATTERNS...: one timed run in a fresh copy of SET's
# cache (an empty one for TOOL.cold); appends "set tool round wall rss status
# load1 other" to runs, where other is the CPU time (s) that processes other
# than the timed tool used meanwhile: the machine's busy time from
# /proc/stat less the tool's user and system time (children included).
# vet.pair is go vet in the vet-tool comparison.
run() {
	local set=$1 tool=$2 round=$3; shift 3
	local c=$work/run-cache
	chmod -R u+w "$c" 2>/dev/null || true
	rm -rf "$c" "$work/sc-cache" "$work/rv-cache"
	case $tool in
	*.cold) mkdir -p "$c" ;;
	*) cp -a "$work/cache/$set" "$c" ;;
	esac
	mkdir -p "$work/sc-cache"
	local cmd
	case ${tool%.*} in
	resilvet) cmd=("$bin/resilvet" "$@") ;;
	floor) cmd=("$bin/floor" "$@") ;;
	# -tests=false: resilvet reports nothing in _test.go files by default
	# and does not load them; staticcheck then analyses the same files.
	staticcheck) cmd=("$bin/staticcheck" -tests=false "$@") ;;
	vet) cmd=(go vet "$@") ;; # vet, vet.cold, vet.pair
	vettool) cmd=(go vet -vettool="$bin/resilvet" "$@") ;;
	esac
	local load status=0 b0 b1 other
	sync # the copy just made reaches the disk before the clock starts
	load=$(cut -d' ' -f1 /proc/loadavg)
	b0=$(busy)
	GOCACHE=$c STATICCHECK_CACHE=$work/sc-cache XDG_CACHE_HOME=$work/sc-cache RESILVET_CACHE=$work/rv-cache \
		/usr/bin/time -f "%e %M %U %S" -o "$work/time" "${cmd[@]}" >"$work/out" 2>&1 || status=$?
	b1=$(busy)
	read -r wall rss usr sys < <(tail -1 "$work/time")
	other=$(awk -v b0="$b0" -v b1="$b1" -v hz="$hz" -v u="$usr" -v s="$sys" 'BEGIN{o = (b1 - b0) / hz - u - s; printf "%.1f", o < 0 ? 0 : o}')
	# Exit status 1 is "findings" for every tool; anything else is a failure
	# whose output must be seen, not timed.
	if [ "$status" -gt 1 ]; then
		echo "perf: $tool on $set exited $status:" >&2
		head -20 "$work/out" >&2
	fi
	printf '%s %s %s %s %s %s %s %s\n' "$set" "$tool" "$round" "$wall" "$rss" "$status" "$load" "$other" | tee -a "$work/runs" >&2
}

# busy prints the machine's busy time in clock ticks (user, nice, system,
# irq, softirq, steal).
hz=$(getconf CLK_TCK)
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

for ((i = 0; i < wait; i++)); do
	awk '{exit !($1 < 1)}' /proc/loadavg && break
	echo "perf: load average $(cut -d' ' -f1-3 /proc/loadavg); waiting for the machine to be idle" >&2
	sleep 60
done

# incremental measures, per set, what a run costs when a tool's own cache
# holds the results of an earlier run: resilvet (its result cache, from
# an empty one), staticcheck (its cache), go vet -vettool=resilvet (the go
# command's cache of vet results) and the floor (the same driver with one
# trivial fact analyzer, from an empty result cache: the cold run's
# reference). Each round starts every tool from a fresh copy of the set's
# prepared GOCACHE and an empty cache of its own, then times four runs in a
# row: cold; nothing changed; after appending a new exported function to a
# file of a leaf package of the set (one that no other package of the set
# imports); after appending one to a file of the set's most widely imported
# package (the one most of the set's packages depend on).
#
# Nothing is edited in place. A module is copied out of the module cache
# (at the version its host module, bench/corpus or bench/programs, pins)
# into the work directory, and every tool runs in that copy, with the
# module's own go.mod and go.sum, as the module's maintainers run it. std
# cannot be copied so: the whole GOROOT (about 300 MB) is copied and
# every command of the set runs with GOROOT and PATH pointing at the copy,
# so that std's import paths, build constraints and internal packages stay
# what they are. (An -overlay would leave GOROOT alone, but resilvet and
# staticcheck read the files go list names, not the overlay.) After each
# tool, the edited files are copied back from the originals and compared.
#
# resilvet and the floor run with RESILVET_DEBUG=cache, which makes the
# driver say how many packages it analysed and read from the cache, or why
# it fell back to the whole-graph driver. A fallback is reported with its
# reason, and the set's targets are then MISS: its numbers measure the
# other driver.
incremental() {
	local base=$work/incr
	rm -rf "$base"
	mkdir -p "$base"
	local rows=$work/incr-rows
	: >"$rows"
	local goroot
	goroot=$(go env GOROOT)
	for s in "${isets[@]}"; do
		local name host mod pats
		IFS='|' read -r name host mod pats <<<"$s"
		read -r -a pats <<<"$pats"
		rm -rf "$base/host" "$base/mod" "$base/goroot"
		cp -a "$root/bench/$host" "$base/host"
		local pristine copy goenv=()
		if [ "$mod" = std ]; then
			cp -a "$goroot" "$base/goroot"
			chmod -R u+w "$base/goroot"
			pristine=$goroot copy=$base/goroot
			goenv=(GOROOT="$base/goroot" PATH="$base/goroot/bin:$PATH")
		else
			pristine=$(cd "$base/host" && go list -m -f '{{.Dir}}' "$mod")
			cp -a "$pristine" "$base/mod"
			chmod -R u+w "$base/mod"
			copy=$base/mod
			# Run in the module's own copy, as its maintainers run a tool:
			# its go.mod and go.sum, not the host's, which lists only the
			# modules the host itself needs (a by-path go list of an import
			# the host's go.mod does not list is refused there).
			(cd "$copy" && GOPROXY=$proxy go mod download) || { echo "perf: cannot download $mod's requirements" >&2; exit 1; }
		fi
		local dir=$base/host
		[ "$mod" = std ] || dir=$copy
		# The leaf: a package of the set with Go files that no other package
		# of the set imports (the first by path); the core: the one most of
		# the set's packages depend on, directly or not.
		local leaf core
		read -r leaf core < <(cd "$dir" && env "${goenv[@]}" go list -f '{{.ImportPath}} {{len .GoFiles}}{{range .Deps}} {{.}}{{end}}' "${pats[@]}" | awk '
			{ set[$1] = $2; for (i = 3; i <= NF; i++) dep[$i]++ }
			END {
				for (p in set) if (set[p] > 0) {
					if (!(p in dep) && (leaf == "" || p < leaf)) leaf = p
					if (dep[p] > best || (dep[p] == best && p < core)) { best = dep[p]; core = p }
				}
				print leaf, core
			}')
		echo "perf: incremental $name (${pats[*]}): leaf ${leaf:-none}, core ${core:-none}" >&2
		local edited=() pkg step file
		declare -A target=()
		for step in leaf core; do
			pkg=$leaf
			[ "$step" = core ] && pkg=$core
			[ -n "$pkg" ] || continue
			file=$(cd "$dir" && env "${goenv[@]}" go list -f '{{.Dir}}/{{index .GoFiles 0}}' "$pkg")
			case $file in
			"$copy"/*) ;;
			*) echo "perf: $pkg's file $file is not in the copy $copy: not editing it" >&2; exit 1 ;;
			esac
			target[$step]=$file
			edited+=("$file")
		done
		(cd "$dir" && { [ ${#goenv[@]} -eq 0 ] || export "${goenv[@]}"; } && prepare "$name" "${pats[@]}")
		for round in $(seq "$n"); do
			local tools=(resilvet floor vettool staticcheck) k tool
			for k in "${!tools[@]}"; do
				# Rotate the order each round, and reverse it every other
				# round: a rotation alone keeps each tool's predecessor.
				if ((round % 2)); then
					tool=${tools[(k + round - 1) % ${#tools[@]}]}
				else
					tool=${tools[(2 * ${#tools[@]} + round - 1 - k) % ${#tools[@]}]}
				fi
				rm -rf "$work/run-cache" "$work/own-cache"
				cp -a "$work/cache/$name" "$work/run-cache"
				mkdir -p "$work/own-cache"
				local steps=(cold warm)
				[ -n "${target[leaf]:-}" ] && steps+=(leaf)
				[ -n "${target[core]:-}" ] && steps+=(core)
				# The floor: cold, and the leaf edit (after the rerun that
				# puts it in the state resilvet's leaf run starts from), the
				# share of the leaf row that any analysis costs.
				if [ "$tool" = floor ]; then
					steps=(cold)
					[ -n "${target[leaf]:-}" ] && steps+=(warm leaf)
				fi
				for step in "${steps[@]}"; do
					case $step in
					leaf | core) printf '\nfunc ResilvetPerf%s() {}\n' "$step" >>"${target[$step]}" ;;
					esac
					local cmd
					case $tool in
					resilvet) cmd=("$bin/resilvet" "${pats[@]}") ;;
					floor) cmd=("$bin/floor" "${pats[@]}") ;;
					staticcheck) cmd=("$bin/staticcheck" -tests=false "${pats[@]}") ;;
					vettool) cmd=(go vet -vettool="$bin/resilvet" "${pats[@]}") ;;
					esac
					local status=0 load drv=-
					# What the copy, the edit and the previous tool wrote
					# reaches the disk before the clock starts: no run pays
					# for another's writeback.
					sync
					load=$(cut -d' ' -f1 /proc/loadavg)
					(cd "$dir" && env "${goenv[@]}" GOCACHE="$work/run-cache" STATICCHECK_CACHE="$work/own-cache" XDG_CACHE_HOME="$work/own-cache" \
						RESILVET_CACHE="$work/own-cache" RESILVET_DEBUG=cache \
						/usr/bin/time -f "%e %M %U %S" -o "$work/time" "${cmd[@]}" >"$work/out" 2>&1) || status=$?
					if [ "$status" -gt 1 ]; then
						echo "perf: $tool ($step) on $name exited $status:" >&2
						head -20 "$work/out" >&2
					fi
					case $tool in
					resilvet | floor)
						local line
						if line=$(grep -m1 '^resilvet: cache: .*fall back' "$work/out"); then
							drv=fallback
							echo "perf: $tool ($step) on $name FELL BACK to the whole-graph driver: ${line#resilvet: cache: }" >&2
						elif line=$(grep -m1 -E '^resilvet: cache: [0-9]+ packages analysed, [0-9]+ from the cache(, [0-9]+ go list runs)?$' "$work/out"); then
							drv=$(awk '{print $3 "/" $6}' <<<"$line")
						else
							drv=unknown
							echo "perf: $tool ($step) on $name said nothing of its driver (RESILVET_DEBUG=cache)" >&2
						fi
						;;
					esac
					local wall rss usr sys
					read -r wall rss usr sys < <(tail -1 "$work/time")
					echo "$name $tool $step $round $wall $rss $status $load $drv $(awk -v u="$usr" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')" | tee -a "$rows" >&2
				done
				for file in "${edited[@]}"; do
					cp "$pristine${file#"$copy"}" "$file"
					cmp -s "$pristine${file#"$copy"}" "$file" || { echo "perf: could not restore $file" >&2; exit 1; }
				done
			done
		done
		unset target
		rm -rf "$work/cache/$name" "$base/host" "$base/mod" "$base/goroot"
	done
	end_load=$(cut -d' ' -f1-3 /proc/loadavg)
	render_incr
}

if $incr; then
	$quick && isets=("toxiproxy|programs|github.com/Shopify/toxiproxy/v2|github.com/Shopify/toxiproxy/v2/...")
	if [ -n "$only" ]; then
		$doc && { echo "perf: -only measures part of the sets: not with -doc" >&2; exit 2; }
		kept=()
		for s in "${isets[@]}"; do
			[[ ${s%%|*} =~ $only ]] && kept+=("$s")
		done
		[ ${#kept[@]} -gt 0 ] || { echo "perf: -only $only matches no set" >&2; exit 2; }
		isets=("${kept[@]}")
	fi
	start_load=$(cut -d' ' -f1-3 /proc/loadavg)
	commit=$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . 2>/dev/null || echo ' + uncommitted changes')
	date=$(date -u +%Y-%m-%d)
	printf 'args=%q\ndate=%q\ncommit=%q\nstart_load=%q\n' "$args" "$date" "$commit" "$start_load" >"$work/incr-meta"
	incremental
	printf 'end_load=%q\n' "$end_load" >>"$work/incr-meta"
	$keep && echo "perf: raw runs in $work/incr-rows" >&2
	exit 0
fi

tools=(resilvet floor staticcheck vet)
$cold && tools+=(resilvet.cold floor.cold staticcheck.cold vet.cold)
start_load=$(cut -d' ' -f1-3 /proc/loadavg)
for s in "${sets[@]}"; do
	name=${s%%|*}
	read -r -a pats <<<"${s#*|}"
	echo "perf: preparing $name (${pats[*]})" >&2
	prepare "$name" "${pats[@]}"
	for round in $(seq "$n"); do
		for k in "${!tools[@]}"; do # rotate the order each round
			run "$name" "${tools[(k + round - 1) % ${#tools[@]}]}" "$round" "${pats[@]}"
		done
	done
	for round in $(seq "$vn"); do
		if ((round % 2)); then order=(vet.pair vettool); else order=(vettool vet.pair); fi
		for t in "${order[@]}"; do
			run "$name" "$t" "v$round" "${pats[@]}"
		done
	done
	rm -rf "$work/cache/$name"
done
end_load=$(cut -d' ' -f1-3 /proc/loadavg)
{
	printf 'args=%q\n' "$args"
	printf 'date=%q\n' "$(date -u +%Y-%m-%d)"
	printf 'machine=%q\n' "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/{print $2}') GiB"
	printf 'gov=%q\n' "$(go version | cut -d' ' -f3-)"
	printf 'commit=%q\n' "$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . 2>/dev/null || echo ' + uncommitted changes')"
	printf 'start_load=%q\nend_load=%q\n' "$start_load" "$end_load"
	printf 'n=%q\nvn=%q\ncold=%q\nquick=%q\n' "$n" "$vn" "$cold" "$quick"
} >"$work/meta"
# shellcheck source=/dev/null
. "$work/meta"
render

$keep && echo "perf: raw runs in $work/runs" >&2
exit 0
