#!/usr/bin/env bash
# Builds what the strategy benchmark runs besides the gateways, each only when its binary is
# missing or older than its pin, with a line of progress and a log in bin/:
#   bin/otelcol-bench-build/otelcol-bench  the OpenTelemetry Collector of tools/otelcol/bench.yaml
#                                          (OTLP in; debug and file exporters; health_check);
#                                          about 3 min cold on 2 shared cores
#   bin/jaeger                             Jaeger v2 (tools/jaeger), the trace store; about 22 min
#                                          cold on 2 shared cores, 20 s once Go's build cache has it
# Usage: scripts/build-bench-tools.sh [collector|jaeger ...]   (no argument: both)
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

collector() {
  # The builder generates the sources and go build compiles them, not the builder itself: its go
  # mod tidy also resolves the components' tests, and one of their modules (contrib's
  # extension/encoding/otlpencodingextension) is not served by the module proxy here (403).
  (cd tools/otelcol && go tool builder --config bench.yaml --skip-get-modules --skip-compilation) &&
    (cd bin/otelcol-bench-build && GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' -o otelcol-bench .)
}

jaeger() {
  go build -C tools/jaeger -trimpath -ldflags='-s -w' -o ../../bin/jaeger github.com/jaegertracing/jaeger/cmd/jaeger
}

tools=("$@")
[[ ${#tools[@]} -gt 0 ]] || tools=(collector jaeger)
for t in "${tools[@]}"; do
  case $t in
    collector) if stale bin/otelcol-bench-build/otelcol-bench tools/otelcol/bench.yaml tools/otelcol/go.mod; then
      build "the benchmark collector (about 3 min cold)" bin/otelcol-bench-build.log collector
    fi ;;
    jaeger) if stale bin/jaeger tools/jaeger/go.mod tools/jaeger/go.sum; then
      build "Jaeger (about 22 min cold on 2 shared cores)" bin/jaeger-build.log jaeger
    fi ;;
    *) echo "build-bench-tools.sh: unknown tool $t (collector or jaeger)" >&2; exit 2 ;;
  esac
done
