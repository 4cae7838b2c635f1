#!/usr/bin/env bash
# Headless Chromium for the matrix page's browser test (cmd/matrix): prints the path of Debian's
# chromium. When it is missing, it is installed with apt only under CI=true (as root, like the
# CI's other parts); elsewhere it exits 3 with how to install it, and the test skips.
set -euo pipefail
if path=$(command -v chromium); then echo "$path"; exit 0; fi
if [ "${CI:-}" != "true" ]; then
  echo "chromium is not installed: apt-get install -y chromium (or run with CI=true as root to install it)" >&2
  exit 3
fi
echo "tracegate: installing Debian's chromium (CI=true)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
command -v chromium
