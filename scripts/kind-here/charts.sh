#!/usr/bin/env bash
# Stages Envoy Gateway's Helm charts for make e2e-kind-here from its pinned Go module
# (github.com/envoyproxy/gateway v1.9.1, tools/envoy-gateway/go.mod), as its release does for
# the OCI charts: Chart.yaml's version and appVersion set to the release, and values.yaml
# rendered from values.tmpl.yaml with the controller image built here, never pulled.
# Into .tracegate/kind-here/charts/{gateway-helm,gateway-crds-helm}.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=v1.9.1
image=tracegate.local/envoy-gateway:$version
dir=$(cd tools/envoy-gateway && go mod download -json github.com/envoyproxy/gateway | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -d $dir/charts ]] || { echo "kind-here: no charts in $dir (github.com/envoyproxy/gateway $version)" >&2; exit 1; }
out=.tracegate/kind-here/charts
rm -rf "$out"
mkdir -p "$out"
for chart in gateway-helm gateway-crds-helm; do
  cp -r "$dir/charts/$chart" "$out/"
  chmod -R u+w "$out/$chart"
  sed -i -e "s/^version: .*/version: $version/" -e "s/^appVersion: .*/appVersion: \"$version\"/" "$out/$chart/Chart.yaml"
  if [[ -f $out/$chart/values.tmpl.yaml ]]; then
    sed -e "s#\${GatewayImage}#$image#" -e "s#\${GatewayImagePullPolicy}#Never#" "$out/$chart/values.tmpl.yaml" >"$out/$chart/values.yaml"
    rm "$out/$chart/values.tmpl.yaml"
  fi
done
echo "kind-here: staged Envoy Gateway's charts $version from its Go module in $out" >&2
