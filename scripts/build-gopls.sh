#!/usr/bin/env bash
# Builds gopls with resilvet's analyzers compiled in, from the Go module
# proxy alone.
#
#   scripts/build-gopls.sh [-stock] [OUTPUT]    # default: bin/gopls
#
# gopls loads no third-party analyzers, so tools/gopls/build copies the
# gopls source that tools/gopls/go.mod pins (the one place its version is
# named), appends resilvet.Suite to its analyzer list (a checked patch: it
# fails, saying so, if the patch point moved) and builds it against the
# golang.org/x/tools that gopls itself requires, with this checkout of
# resilvet. -stock builds the same gopls unpatched, for the latency
# benchmark. The first build compiles gopls's modules (minutes); later ones
# reuse the build cache.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
stock=()
if [ "${1:-}" = -stock ]; then
	stock=(-stock)
	shift
fi
out="${1:-$root/bin/gopls}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
mkdir -p "$(dirname "$out")"
cd "$root/tools/gopls"
GOWORK=off go run ./build "${stock[@]}" "$out"
echo "built $out"
