#!/usr/bin/env bash
# make matrix: runs every gateway and path this machine can run, one column after another, each
# column's reports in reports/matrix/<column>/ (its log in run.log), keeps going when a column
# fails (a column with no report gets why.txt), then builds reports/matrix/index.html with
# cmd/matrix, checks it in headless Chromium and takes its picture, reports/matrix/matrix.png
# (docs/matrix.png, the README's, is a copy made by hand: a run never changes the tree).
# MATRIX_COLUMNS picks columns by name (default all).
set -uo pipefail
cd "$(dirname "$0")/.."
out=reports/matrix
kind_node=tracegate.local/kind-node:v1.36.3

# name | command run from the repository, with REPORTS set to the column's directory; a command
# starting "kwok " or "kind " runs under that machine-wide lock (/tmp/kwok.lock, /tmp/kind.lock),
# and a column's time says how much of it went on waiting for the lock
columns=(
  "envoy-1.40|make e2e ENV=envoy"
  "envoy-1.39|make e2e ENV=envoy ENVOY=1.39"
  "envoy-1.38|make e2e ENV=envoy ENVOY=1.38"
  "caddy|make e2e ENV=local"
  "envoy-collector|make e2e ENV=local-collector E2E_IMPLEMENTATION=envoy"
  "kwok-envoy-gateway|kwok make e2e ENV=kwok"
  "kwok-contour|kwok make e2e ENV=kwok E2E_IMPLEMENTATION=contour"
  "kind-here-envoy-gateway|kind e2e-kind-here"
  "kind-here-contour|kind e2e-kind-here-contour"
)

# kindReady says why kind here cannot run, or nothing when Docker answers and the node image
# make kind-here-images builds is there (building it is ~40 CPU minutes: not make matrix's job).
kindReady() {
  if ! command -v docker >/dev/null; then echo "no Docker on this machine (make e2e-kind-here installs and starts it, then builds the images)"; return; fi
  if ! docker info >/dev/null 2>&1; then echo "Docker does not answer (make e2e-kind-here starts it and builds the images)"; return; fi
  if ! docker image inspect "$kind_node" >/dev/null 2>&1; then echo "the kind node image $kind_node is not built (make kind-here-images, about 40 CPU minutes)"; return; fi
}

mkdir -p "$out"
dirs=()
times=()
n=${#columns[@]}
i=0
start_all=$(date +%s)
for entry in "${columns[@]}"; do
  i=$((i + 1))
  name=${entry%%|*}
  cmd=${entry#*|}
  if [ -n "${MATRIX_COLUMNS:-}" ] && [[ " $MATRIX_COLUMNS " != *" $name "* ]]; then continue; fi
  dir=$out/$name
  rm -rf "$dir" && mkdir -p "$dir"
  dirs+=("$dir")
  if [[ $cmd == kind\ * ]]; then
    why=$(kindReady)
    if [ -n "$why" ]; then
      echo "$why" > "$dir/why.txt"
      echo "matrix [$i/$n] $name: not run: $why"
      times+=("$name 0s (not run)")
      continue
    fi
    cmd="kind make ${cmd#kind }"
  fi
  lock=
  case $cmd in kwok\ * | kind\ *) lock=/tmp/${cmd%% *}.lock cmd=${cmd#* } ;; esac
  echo "matrix [$i/$n] $name: ${lock:+flock $lock }$cmd (log $dir/run.log)"
  t0=$(date +%s)
  rm -f "$dir/.locked"
  if [ -n "$lock" ]; then
    # shellcheck disable=SC2016 # expanded by the inner bash
    flock "$lock" bash -c 'date +%s >"$1"; shift; exec "$@"' _ "$dir/.locked" $cmd REPORTS="$dir" > "$dir/run.log" 2>&1
  else
    $cmd REPORTS="$dir" > "$dir/run.log" 2>&1
  fi
  rc=$?
  took=$(( $(date +%s) - t0 ))
  waited=
  if [ -f "$dir/.locked" ]; then
    waited=" ($(( $(cat "$dir/.locked") - t0 ))s of it waiting for $lock)"
    rm -f "$dir/.locked"
  fi
  if [ ! -f "$dir/conformance.yaml" ]; then
    { echo "the run made no report (exit status $rc); the end of its log:"; tail -n 15 "$dir/run.log"; } > "$dir/why.txt"
  elif [ $rc -ne 0 ]; then
    echo "the run exited with status $rc (its log: run.log)" > "$dir/why.txt"
  fi
  result=$(sed -n 's/^    outcome: //p' "$dir/conformance.yaml" 2>/dev/null | head -1)
  echo "matrix [$i/$n] $name: ${result:-no report} in ${took}s$waited"
  times+=("$name ${took}s$waited ${result:-no report}")
done
printf '%s\n' "${times[@]}" > "$out/times.txt"
echo "matrix: all columns in $(( $(date +%s) - start_all ))s"
go run ./cmd/matrix -out "$out" "${dirs[@]}" || exit 1
MATRIX_PAGE=$(pwd)/$out/index.html MATRIX_SCREENSHOT=$(pwd)/$out/matrix.png go test -count=1 -run TestPageInBrowser ./cmd/internal/matrix/
echo "matrix: the page reports/matrix/index.html, its picture reports/matrix/matrix.png"
