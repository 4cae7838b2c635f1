#!/usr/bin/env bash
# Builds what the strategy benchmark runs besides the gateways, each only when its binary is
# missing or older than its pins, with a line of progress and a log in bin/:
#   bin/otelcol-bench-build/otelcol-bench  the OpenTelemetry Collector of tools/otelcol/bench.yaml
#                                          (OTLP in; debug and file exporters; health_check), its
#                                          modules pinned in tools/otelcol-bench/go.mod and go.sum;
#                                          about 3 min cold on 2 shared cores
#   bin/jaeger                             Jaeger v2 (tools/jaeger), the trace store; about 22 min
#                                          cold on 2 shared cores, 20 s once Go's build cache has it
# Every build runs in a module of its own with -mod=readonly: none resolves anything in the
# repository's go.mod, none edits a go.mod or go.sum.
# Usage: scripts/build-bench-tools.sh [collector|jaeger ...]   (no argument: both)
#        scripts/build-bench-tools.sh pin-collector   writes tools/otelcol-bench/go.mod and go.sum
#                                                     again, after tools/otelcol/bench.yaml changed
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bin

# stale OUT PIN...: OUT is missing or not newer than every PIN.
stale() {
  local out=$1
  shift
  [[ -x $out ]] || return 0
  for pin in "$@"; do [[ $out -nt $pin ]] || return 0; done
  return 1
}

# build WHAT LOG COMMAND...: runs COMMAND with its output in LOG, saying what it does and how long it took.
build() {
  local what=$1 log=$2 start
  shift 2
  start=$(date +%s)
  echo "building $what; log in $log ..." >&2
  if ! "$@" >"$log" 2>&1; then
    echo "building $what failed; the end of $log:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  echo "built $what in $(($(date +%s) - start)) s" >&2
}

# generate DIR: the builder writes the collector's sources for tools/otelcol/bench.yaml into DIR,
# without a go.mod (--skip-get-modules) and without compiling them.
generate() {
  local dir=$1 config
  config=$(mktemp --suffix=.yaml)
  sed "s#^  output_path: .*#  output_path: $dir#" tools/otelcol/bench.yaml >"$config"
  (cd tools/otelcol && go tool builder --config "$config" --skip-get-modules --skip-compilation)
  local status=$?
  rm -f "$config"
  return $status
}

collector() {
  # The pinned go.mod and go.sum go next to the generated sources, which makes them a module of
  # their own; -mod=readonly fails on anything missing instead of resolving it.
  local out=bin/otelcol-bench-build
  rm -rf "$out" && mkdir -p "$out"
  generate "$PWD/$out" &&
    cp tools/otelcol-bench/go.mod tools/otelcol-bench/go.sum "$out/" &&
    (cd "$out" && GOFLAGS=-mod=readonly go build -trimpath -ldflags='-s -w' -o otelcol-bench .)
}

pin_collector() {
  # The builder writes its go.mod (each component, the providers and the collector core at the
  # versions bench.yaml and the builder pin) into a scratch directory and tidies it. GOFLAGS=-e
  # lets go mod tidy pass one module that only the components' tests import (contrib's
  # extension/encoding/otlpencodingextension), which the module proxy here does not serve (403);
  # the build never needs it.
  local dir
  dir=$(mktemp -d)
  sed "s#^  output_path: .*#  output_path: $dir#" tools/otelcol/bench.yaml >"$dir.yaml"
  (cd tools/otelcol && GOFLAGS=-e go tool builder --config "$dir.yaml" --skip-compilation)
  { echo "// The benchmark collector's modules (tools/otelcol/bench.yaml), pinned: scripts/build-bench-tools.sh"
    echo "// copies this go.mod and go.sum next to the sources the builder generates and builds them"
    echo "// there with -mod=readonly. Written by scripts/build-bench-tools.sh pin-collector; it has no"
    echo "// sources here, so it is not a module to tidy on its own."
    grep -v '^// Code generated' "$dir/go.mod"; } >tools/otelcol-bench/go.mod
  cp "$dir/go.sum" tools/otelcol-bench/go.sum
  rm -rf "$dir" "$dir.yaml"
}

jaeger() {
  GOFLAGS=-mod=readonly go build -C tools/jaeger -trimpath -ldflags='-s -w' -o ../../bin/jaeger github.com/jaegertracing/jaeger/cmd/jaeger
}

tools=("$@")
[[ ${#tools[@]} -gt 0 ]] || tools=(collector jaeger)
for t in "${tools[@]}"; do
  case $t in
    collector) if stale bin/otelcol-bench-build/otelcol-bench tools/otelcol/bench.yaml tools/otelcol/go.mod tools/otelcol-bench/go.mod tools/otelcol-bench/go.sum; then
      build "the benchmark collector (about 3 min cold)" bin/otelcol-bench-build.log collector
    fi ;;
    jaeger) if stale bin/jaeger tools/jaeger/go.mod tools/jaeger/go.sum; then
      build "Jaeger (about 22 min cold on 2 shared cores)" bin/jaeger-build.log jaeger
    fi ;;
    pin-collector) mkdir -p tools/otelcol-bench && pin_collector ;;
    *) echo "build-bench-tools.sh: unknown tool $t (collector, jaeger or pin-collector)" >&2; exit 2 ;;
  esac
done
