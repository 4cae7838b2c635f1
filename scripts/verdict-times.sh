#!/usr/bin/env bash
# p50 and p99 of the response-to-verdict times a run wrote to E2E_VERDICT_TIMES
# (features/tracing/verdict_times.go), nearest-rank, over all lines or those of one verdict.
# Usage: scripts/verdict-times.sh FILE [pass|fail]
set -euo pipefail
file=$1 verdict=${2:-}
awk -F'\t' -v v="$verdict" 'v == "" || $2 == v {print $1}' "$file" | sort -g | awk '
  {t[NR] = $1}
  END {
    if (NR == 0) {print "no verdicts"; exit 1}
    p50 = t[int((NR * 50 + 99) / 100)]; p99 = t[int((NR * 99 + 99) / 100)]
    printf "%d verdicts: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", NR, p50, p99, t[NR]
  }'
