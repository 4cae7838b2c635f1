#!/usr/bin/env bash
# make bench: the figures of BENCHMARKS.md, printed as its tables. Run on an idle machine;
# wall times vary with load, the receiver figures less so, the strategies' ratios least (they
# are measured in the same rounds). BENCH_STRATEGY_N requests per strategy (default 20) on the
# environments BENCH_STRATEGY_ENVS (default local,envoy); BENCH_STORE the count-delta strategy's
# store: jaeger (default; its first build takes about 22 min) or file (the collector's file
# exporter); BENCH_SUITE_RUNS runs of the warm suite, `make e2e` as a user runs it (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_SUITE_RUNS:-5}
strategy_n=${BENCH_STRATEGY_N:-20}
strategy_envs=${BENCH_STRATEGY_ENVS:-local,envoy}
store=${BENCH_STORE:-jaeger}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
bench=$(mktemp)
trap 'rm -f "$bench"' EXIT

# The strategy benchmark's collector and store, built first so that no build runs between the
# measurements (each is skipped while it is up to date).
scripts/build-bench-tools.sh collector
[[ $store != jaeger ]] || scripts/build-bench-tools.sh jaeger

echo "receiver and store benchmarks..." >&2
go test -run '^$' -bench . -benchtime 2s ./framework/otlp/ >"$bench"
echo "span delay against the local gateway..." >&2
go test -run '^$' -bench SpanDelay -benchtime 50x ./framework/environment/local/ >>"$bench"

# metric NAME UNIT: the value reported next to UNIT on benchmark NAME's line.
metric() { awk -v name="$1" -v unit="$2" '$1 ~ "^"name"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == unit) print $i }' "$bench"; }

echo "warm suite wall time: make e2e, a warm-up, then $runs serial and $runs PROCS=2 runs..." >&2
make e2e ENV=local REPORTS="$(mktemp -d)" >/dev/null 2>&1 || true
suite() { # median wall seconds of `make e2e $*` on Caddy (ENV=local)
  local times=() reports
  reports=$(mktemp -d)
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    make e2e ENV=local REPORTS="$reports" "$@" >/dev/null
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
  done
  rm -rf "$reports"
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }'
}
serial=$(suite)
parallel=$(suite PROCS=2)
specs=$(make e2e ENV=local REPORTS="$(mktemp -d)" 2>&1 | sed -n 's/.*Ran \([0-9]*\) of.*/\1/p' | tr -dc '0-9')

echo "strategies: tracegate, log scraping and count delta on $strategy_envs, $strategy_n requests each..." >&2
strategies=$(go run ./cmd/strategybench -env "$strategy_envs" -n "$strategy_n" -store "$store")

printf '\n%s cores (%s), %s; load average %s at the start, %s at the end\n' "$(nproc)" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(date -u +%F)" "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)"

printf '\n| measure | value |\n|---|---|\n'
printf '| receiver ingest, OTLP/HTTP protobuf, %s-span batches | %.0f spans/s |\n' 100 "$(metric BenchmarkIngestHTTPProtobuf spans/s)"
printf '| receiver ingest, OTLP/gRPC, %s-span batches | %.0f spans/s |\n' 100 "$(metric BenchmarkIngestGRPC spans/s)"
printf '| allocated per ingested span (HTTP protobuf, client and server) | %.0f B |\n' "$(awk -v b="$(metric BenchmarkIngestHTTPProtobuf B/op)" 'BEGIN { print b / 100 }')"
printf '| heap kept per stored span | %.0f B |\n' "$(metric BenchmarkStoreRetainedBytesPerSpan B/span)"
printf '| response to span stored, p50 / p95 | %s / %s ms |\n' "$(metric BenchmarkSpanDelay stored-p50-ms)" "$(metric BenchmarkSpanDelay stored-p95-ms)"
printf '| response to span asserted (Eventually), p50 / p95 | %s / %s ms |\n' "$(metric BenchmarkSpanDelay asserted-p50-ms)" "$(metric BenchmarkSpanDelay asserted-p95-ms)"
# The figures issue 13 started from (2026-11, 15 specs, the suite compiled on every run).
printf '| warm make e2e ENV=local (Caddy), serial (%s specs, median of %s) | %s s (was 9.4 s) |\n' "$specs" "$runs" "$serial"
printf '| warm make e2e PROCS=2 (median of %s) | %s s (was 6.9 s) |\n' "$runs" "$parallel"
printf '\n%s\n' "$strategies"
