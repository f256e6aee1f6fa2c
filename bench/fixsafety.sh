#!/usr/bin/env bash
# Fix safety: apply every fix resilvet offers to copies of real modules and
# check that the result builds, vets as before, re-lints with the fixed
# findings gone, and that a second -fix changes nothing. See bench/README.md.
#
#   bench/fixsafety.sh [-all] [-doc] [-keep] [module...]
#
#   module  "hazards" (testdata/hazards) or a module pinned by bench/corpus;
#           default: hazards and the corpus modules that have fixable findings
#   -all    switch every rule on (-NAME.rules=+all), so that the fixes of
#           off-by-default rules are applied too
#   -doc    write the table to docs/precision.md, section "## Fix safety"
#           (with -all: "## Fix safety, every rule on")
#   -keep   keep the copies (a git repository each: `git diff` shows the fixes)
#
# RESILVET=path runs that binary instead of building ./cmd/resilvet.
#
# Each module is copied out of the module cache, made writable, and given
#   require github.com/resilvet/resilvet/runtime v0.0.0-00010101000000-000000000000
#   replace github.com/resilvet/resilvet/runtime => <this repository>/runtime
# The go commands may fetch the copy's own dependency versions from the
# module proxy (GOFLAGS=-mod=mod).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
doc=false keep=false all=false
mods=()
for a in "$@"; do
	case $a in
	-all) all=true ;;
	-doc) doc=true ;;
	-keep) keep=true ;;
	-*) echo "usage: bench/fixsafety.sh [-all] [-doc] [-keep] [module...]" >&2; exit 2 ;;
	*) mods+=("$a") ;;
	esac
done
[ ${#mods[@]} -gt 0 ] || mods=(
	hazards
	github.com/nats-io/nats-server/v2
	github.com/caddyserver/caddy/v2
	github.com/valyala/fasthttp
	github.com/dgraph-io/badger/v4
	github.com/redis/go-redis/v9
	github.com/nats-io/nats.go
	github.com/hashicorp/memberlist
	github.com/hashicorp/go-plugin
	github.com/jackc/pgx/v5
	github.com/lib/pq
	go.temporal.io/sdk
	github.com/hashicorp/raft
	github.com/IBM/sarama
)

work=$(mktemp -d /tmp/resilvet-fixsafety.XXXXXX)
$keep || trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/resilvet" ./cmd/resilvet && go build -o "$work/mdsection" ./bench/mdsection)
rv=${RESILVET:-$work/resilvet}
rules=()
$all && read -r -a rules < <(cd "$root" && go run ./bench/precision -allrules)
export GOWORK=off GOFLAGS=-mod=mod

# lintjson DIR OUT: resilvet -json with runtime fixes visible, as -fix sees them.
lintjson() { (cd "$1" && "$rv" -json -runtimefixes ${rules[@]+"${rules[@]}"} ./... >"$2" 2>"$2.err") || true; }

# summarise JSON: "findings fixable" and one "category<TAB>file<TAB>message"
# line per finding (positions dropped: fixes shift lines) into JSON.keys.
summarise() {
	python3 - "$1" <<'EOF'
import json, sys, os
path = sys.argv[1]
try:
    tree = json.load(open(path))
except ValueError:
    tree = {}
n = fixable = 0
keys = []
for pkg, analyzers in tree.items():
    for a, v in analyzers.items():
        if isinstance(v, dict):
            keys.append("ERROR\t%s\t%s" % (pkg, v.get("error", "")))
            continue
        for d in v:
            n += 1
            fixable += bool(d.get("suggested_fixes"))
            f = d["posn"].rsplit(":", 2)[0]
            keys.append("%s\t%s\t%s" % (d["category"], os.path.basename(f), d["message"]))
open(path + ".keys", "w").write("\n".join(sorted(keys)) + "\n")
print(n, fixable)
EOF
}

# vetkeys: go vet's diagnostics as "file: message", positions dropped.
# Lines of the go command itself (# package, go: downloading) are dropped.
vetkeys() { sed -E 's/^(\.\/)?([^:]+\.go):[0-9]+(:[0-9]+)?: /\2: /' | grep -v '^#\|^go: ' | sort; }

printf '| module | fixes applied | files | build | go vet | fixable left | new findings | second -fix |\n|---|---|---|---|---|---|---|---|\n' >"$work/table"
: >"$work/details"
for m in "${mods[@]}"; do
	if [ "$m" = hazards ]; then
		src=$root/testdata/hazards name=testdata/hazards
	else
		src=$(cd "$root/bench/corpus" && GOPROXY=off go list -m -f '{{.Dir}}' "$m") name="$m $(cd "$root/bench/corpus" && GOPROXY=off go list -m -f '{{.Version}}' "$m")"
	fi
	d=$work/$(echo "$m" | tr / _)
	echo "fixsafety: $name" >&2
	cp -r "$src" "$d"
	chmod -R u+w "$d"
	(
		cd "$d"
		go mod edit -require=github.com/resilvet/resilvet/runtime@v0.0.0-00010101000000-000000000000 \
			-replace=github.com/resilvet/resilvet/runtime="$root/runtime"
		go mod download >/dev/null 2>&1 || true
		git init -q && git add -A && git -c user.name=fixsafety -c user.email=fixsafety@localhost commit -qm pristine
	)
	prob=()
	(cd "$d" && go build ./... >"$d.build0" 2>&1) || prob+=("the pristine copy does not build")
	(cd "$d" && go vet ./... 2>&1 | vetkeys >"$d.vet0") || true
	lintjson "$d" "$d.lint0"
	read -r before fixable0 < <(summarise "$d.lint0")

	status=0
	(cd "$d" && "$rv" -fix ${rules[@]+"${rules[@]}"} ./... >"$d.fix1" 2>"$d.fix1.err") || status=$?
	applied=$(grep -oE 'applied [0-9]+ fix(es)? to [0-9]+ files?' "$d.fix1.err" | head -1 || true)
	fixes=$(echo "${applied:-applied 0}" | awk '{print $2}')
	files=$(echo "${applied:-to 0}" | awk '{print $(NF-1)}')
	[ "$status" -le 1 ] || prob+=("resilvet -fix exited $status: $(grep -v '^resilvet: applied' "$d.fix1.err" | head -5)")
	(cd "$d" && git add -A && git -c user.name=fixsafety -c user.email=fixsafety@localhost commit -qm fixed --allow-empty)

	build=ok
	if ! (cd "$d" && go build ./... >"$d.build1" 2>&1); then
		build="**fails**"
		prob+=("go build after -fix: $(head -20 "$d.build1")")
	fi
	(cd "$d" && go vet ./... 2>&1 | vetkeys >"$d.vet1") || true
	newvet=$(comm -13 "$d.vet0" "$d.vet1" | grep -v '^\s*$' || true)
	vet=ok
	if [ -n "$newvet" ]; then
		vet="**$(echo "$newvet" | wc -l) new**"
		prob+=("go vet reports after -fix what it did not before: $(echo "$newvet" | head -10)")
	fi
	gofmtout=$(cd "$d" && git diff --name-only HEAD~1 -- '*.go' | xargs -r gofmt -l)
	[ -z "$gofmtout" ] || prob+=("not gofmt-ed after -fix: $gofmtout")

	lintjson "$d" "$d.lint1"
	read -r after fixable1 < <(summarise "$d.lint1")
	newfind=$(comm -13 "$d.lint0.keys" "$d.lint1.keys" | grep -v '^\s*$' || true)
	[ "$fixable1" = 0 ] || prob+=("$fixable1 findings still offer a fix after -fix (conflicts are skipped and retried for 3 rounds)")
	[ -z "$newfind" ] || prob+=("findings that were not there before -fix: $(echo "$newfind" | head -10)")

	# Commit what building and vetting changed (go.sum), so that only the
	# second -fix's changes remain.
	(cd "$d" && git add -A && git -c user.name=fixsafety -c user.email=fixsafety@localhost commit -qm checked --allow-empty)
	(cd "$d" && "$rv" -fix ${rules[@]+"${rules[@]}"} ./... >"$d.fix2" 2>"$d.fix2.err") || true
	second=ok
	if [ -n "$(cd "$d" && git status --porcelain)" ]; then
		second="**changed**"
		prob+=("a second -fix changed: $(cd "$d" && git diff --stat | tail -5)")
	fi
	fixstat="$fixes (of $fixable0 fixable; $before findings → $after)"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$fixstat" "$files" "$build" "$vet" "$fixable1" \
		"$([ -z "$newfind" ] && echo 0 || echo "**$(echo "$newfind" | wc -l)**")" "$second" >>"$work/table"
	if [ ${#prob[@]} -gt 0 ]; then
		{
			echo
			echo "$name (\`bench/fixsafety.sh -keep $m\`, then \`git -C <copy> diff HEAD~1\`):"
			echo
			echo '```'
			printf '%s\n' "${prob[@]}"
			echo '```'
		} >>"$work/details"
	fi
done

{
	echo "Generated $(date -u +%Y-%m-%d) by \`bench/fixsafety.sh$($all && echo ' -all')\` (resilvet $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . 2>/dev/null || echo ' + uncommitted changes'), $(go version | cut -d' ' -f3)):"
	echo "each module copied out of the module cache with the local runtime module required and"
	echo "replaced in its go.mod, then \`resilvet -fix ./...\` ($($all && echo 'every rule on' || echo 'default rules'); -fix turns on runtime"
	echo "fixes). \"fixable\" counts the findings that offered a fix before (\`-json -runtimefixes\`);"
	echo "build is \`go build ./...\`; go vet compares \`go vet ./...\` with the pristine copy's, positions"
	echo "ignored; \"fixable left\" and \"new findings\" come from re-linting the result (a new finding is"
	echo "one whose rule, file and message were not reported before); the second \`-fix\` must leave"
	echo "the tree unchanged."
	echo
	cat "$work/table"
	if [ -s "$work/details" ]; then
		echo
		echo "Problems:"
		cat "$work/details"
	fi
} >"$work/report.md"
cat "$work/report.md"
if $doc; then
	heading="## Fix safety"
	$all && heading="## Fix safety, every rule on"
	"$work/mdsection" "$root/docs/precision.md" "$heading" <"$work/report.md"
	echo "fixsafety: wrote docs/precision.md, section \"$heading\"" >&2
fi
$keep && echo "fixsafety: copies in $work" >&2
exit 0
