#!/usr/bin/env bash
# rootfs.sh NAME PACKAGES...: a Debian bookworm root file system made with debootstrap
# (--variant=minbase plus PACKAGES) and imported into Docker as the image tracegate.local/NAME,
# with no registry. Skipped while that image carries the label of the same package list.
# Downloaded packages are kept in .tracegate/kind-here/debs for the next image.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=$1
shift
packages=$(IFS=,; echo "$*")
image=tracegate.local/$name:bookworm
recipe=$(echo "bookworm minbase $packages" | sha256sum | cut -c1-16)
if [[ $(docker image inspect -f '{{index .Config.Labels "tracegate.recipe"}}' "$image" 2>/dev/null) == "$recipe" ]]; then
  echo "kind-here: $image is current" >&2
  exit 0
fi
command -v debootstrap >/dev/null || {
  # shellcheck source=scripts/asked.sh
  source scripts/asked.sh
  asked KIND_HERE_APT "install Debian's debootstrap with apt-get (it makes the images' Debian bookworm root file system)"
  echo "kind-here: installing debootstrap (apt-get) ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}
state=$PWD/.tracegate/kind-here
dir=$state/rootfs-$name
log=$state/rootfs-$name.log
mkdir -p "$state/debs"
rm -rf "$dir"
echo "kind-here: debootstrap bookworm ($name: minbase + ${packages:-nothing}; a few minutes; log $log) ..." >&2
start=$SECONDS
if ! debootstrap --variant=minbase --cache-dir="$state/debs" ${packages:+--include="$packages"} \
  bookworm "$dir" http://deb.debian.org/debian >"$log" 2>&1; then
  echo "kind-here: debootstrap failed for $name; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
# No package lists or caches in the image.
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
tar -C "$dir" -c . | docker import --change "LABEL tracegate.recipe=$recipe" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$image" >/dev/null
rm -rf "$dir"
echo "kind-here: imported $image in $((SECONDS - start))s" >&2
