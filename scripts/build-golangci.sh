#!/usr/bin/env bash
# Builds golangci-lint v2 with the resilvet module plugin built in, from the
# Go module proxy alone (golangci-lint custom clones from GitHub).
#
#   scripts/build-golangci.sh [OUTPUT]    # default: bin/golangci-lint
#
# The main package is tools/golangci, a module of its own that requires
# golangci-lint and this checkout of resilvet (replace => ../..), so
# golangci-lint's dependencies never enter resilvet's go.mod. It is built
# with GOWORK=off: the workspace must not pull it into the root module.
# The first build compiles golangci-lint's ~200 modules (minutes); later ones
# reuse the build cache.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/bin/golangci-lint}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
mkdir -p "$(dirname "$out")"
cd "$root/tools/golangci"
GOWORK=off go build -trimpath -o "$out" .
echo "built $out"
