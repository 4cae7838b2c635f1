#!/usr/bin/env bash
# Builds the kwok environment's pinned control-plane tools into bin/, each from its own wrapper
# module under tools/ (their Kubernetes libraries conflict, so they cannot share one):
#   etcd           bin/etcd
#   kubernetes     bin/kube-apiserver bin/kube-controller-manager bin/kube-scheduler
#   kubernetes-node  bin/kubelet bin/kubeadm bin/kube-proxy bin/kubectl (the kind node image
#                  built here; same module as kubernetes)
#   kwok           bin/kwok bin/kwokctl
#   envoy-gateway  bin/envoy-gateway
#   contour        bin/contour (the contour profile on kwok)
# and, for the kind node image of make e2e-kind-here (scripts/kind-here/images.sh):
#   containerd     bin/containerd bin/containerd-shim-runc-v2 bin/ctr
#   runc           bin/runc (cgo, libseccomp)
#   cni-plugins    bin/cni/ptp bin/cni/host-local bin/cni/loopback bin/cni/portmap
#   coredns        bin/coredns
# Usage: scripts/build-tools.sh [TOOL ...]
# (no argument: the kwok environment's four: etcd kubernetes kwok envoy-gateway)
# A tool is skipped when all its binaries exist and are newer than its go.mod and go.sum
# (BUILD_TOOLS_FORCE=1 rebuilds anyway, e.g. after a change of the flags below). The first build
# costs about 35 CPU minutes: about 20 minutes on 2 idle cores, twice that on shared ones, most of
# it the three Kubernetes binaries. One linker takes up to 2.7 GB, the build's processes together
# up to 4.3 GB. The Go build cache grows by about 6 GB.
set -euo pipefail
cd "$(dirname "$0")/.."

kube_version=v1.36.3

all=(etcd kubernetes kwok envoy-gateway)
known=(etcd kubernetes kubernetes-node kwok envoy-gateway contour containerd runc cni-plugins coredns)

# bins TOOL: the binaries TOOL builds. pkgs TOOL: their main packages, in the same order.
# about TOOL: what the progress line says of its module and its cold build time.
bins() {
  case $1 in
    etcd) echo etcd ;;
    kubernetes) echo kube-apiserver kube-controller-manager kube-scheduler ;;
    kubernetes-node) echo kubelet kubeadm kube-proxy kubectl ;;
    kwok) echo kwok kwokctl ;;
    envoy-gateway) echo envoy-gateway ;;
    contour) echo contour ;;
    containerd) echo containerd containerd-shim-runc-v2 ctr ;;
    runc) echo runc ;;
    cni-plugins) echo cni/ptp cni/host-local cni/loopback cni/portmap ;;
    coredns) echo coredns ;;
  esac
}
pkgs() {
  case $1 in
    etcd) echo go.etcd.io/etcd/server/v3 ;;
    kubernetes) echo k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler ;;
    kubernetes-node) echo k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubeadm \
      k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl ;;
    kwok) echo sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl ;;
    envoy-gateway) echo github.com/envoyproxy/gateway/cmd/envoy-gateway ;;
    contour) echo github.com/projectcontour/contour/cmd/contour ;;
    containerd) echo github.com/containerd/containerd/v2/cmd/containerd \
      github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 github.com/containerd/containerd/v2/cmd/ctr ;;
    runc) echo github.com/opencontainers/runc ;;
    cni-plugins) echo github.com/containernetworking/plugins/plugins/main/ptp \
      github.com/containernetworking/plugins/plugins/ipam/host-local \
      github.com/containernetworking/plugins/plugins/main/loopback \
      github.com/containernetworking/plugins/plugins/meta/portmap ;;
    coredns) echo github.com/coredns/coredns ;;
  esac
}
about() {
  case $1 in
    etcd) echo "go.etcd.io/etcd/server/v3 v3.6.16; about 1.5 min cold on 2 idle cores" ;;
    kubernetes) echo "k8s.io/kubernetes $kube_version; about 10 min cold on 2 idle cores" ;;
    kubernetes-node) echo "k8s.io/kubernetes $kube_version; about 5 min after the control plane" ;;
    kwok) echo "sigs.k8s.io/kwok v0.8.0; about 2 min cold on 2 idle cores" ;;
    envoy-gateway) echo "github.com/envoyproxy/gateway v1.9.1; about 5 min cold on 2 idle cores" ;;
    contour) echo "github.com/projectcontour/contour v1.33.8; about 6 min cold on 2 shared cores" ;;
    containerd) echo "github.com/containerd/containerd/v2 v2.3.4; about 3 min cold" ;;
    runc) echo "github.com/opencontainers/runc v1.4.3; about 1 min cold" ;;
    cni-plugins) echo "github.com/containernetworking/plugins v1.9.1; about 1 min cold" ;;
    coredns) echo "github.com/coredns/coredns v1.14.2; about 3 min cold" ;;
  esac
}
ldflags() {
  local flags="-s -w"
  if [[ $1 == kubernetes* ]]; then
    # kwokctl reads the components' versions from --version; unstamped they say v0.0.0-master.
    local v=${kube_version#v}
    flags+=" -X k8s.io/component-base/version.gitVersion=$kube_version"
    flags+=" -X k8s.io/component-base/version.gitMajor=${v%%.*}"
    v=${v#*.}
    flags+=" -X k8s.io/component-base/version.gitMinor=${v%%.*}"
    flags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  elif [[ $1 == containerd ]]; then
    flags+=" -X github.com/containerd/containerd/v2/version.Version=v2.3.4"
  elif [[ $1 == runc ]]; then
    flags+=" -X main.version=1.4.3"
  elif [[ $1 == envoy-gateway ]]; then
    flags+=" -X github.com/envoyproxy/gateway/internal/cmd/version.envoyGatewayVersion=v1.9.1"
  elif [[ $1 == contour ]]; then
    flags+=" -X github.com/projectcontour/contour/internal/build.Version=v1.33.8"
  fi
  echo "$flags"
}

# dir TOOL: the wrapper module under tools/ that builds TOOL.
dir() {
  case $1 in
    kubernetes-node) echo kubernetes ;;
    *) echo "$1" ;;
  esac
}

# cgo TOOL: CGO_ENABLED for its build (runc links libseccomp; the others are static).
# tags TOOL: its build tags.
cgo() { [[ $1 == runc ]] && echo 1 || echo 0; }
tags() {
  case $1 in
    runc) echo seccomp ;;
    containerd) echo no_btrfs,no_devmapper,no_zfs,no_aufs ;;
  esac
}

# fresh TOOL: all of TOOL's binaries exist and are newer than its go.mod and go.sum.
fresh() {
  local b
  [[ ${BUILD_TOOLS_FORCE:-} == 1 ]] && return 1
  for b in $(bins "$1"); do
    [[ -x bin/$b && bin/$b -nt tools/$(dir "$1")/go.mod && bin/$b -nt tools/$(dir "$1")/go.sum ]] || return 1
  done
}

# Child processes of the build in progress, stopped if this script is interrupted.
hb= gb=
stop_children() {
  [[ -n $gb ]] && kill "$gb" 2>/dev/null
  [[ -n $hb ]] && kill "$hb" 2>/dev/null
  return 0
}
trap stop_children EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build() {
  local tool=$1 names out log start lock rc=0
  names=$(bins "$tool")
  if fresh "$tool"; then
    echo "tools: $tool up to date (bin/${names// /, bin/})" >&2
    return
  fi
  # One build of a tool at a time: a parallel run waits for it rather than racing it.
  exec {lock}>"bin/.build-$tool.lock"
  flock "$lock"
  if fresh "$tool"; then
    echo "tools: $tool up to date (built by another run)" >&2
    exec {lock}>&-
    return
  fi
  log=bin/.build-$tool.log
  echo "tools: building ${names// /, } ($(about "$tool")) ..." >&2
  start=$SECONDS
  # A line a minute, so that a long build does not look hung; it ends if this script dies.
  (
    trap 'kill "$s" 2>/dev/null; exit 0' TERM
    while kill -0 $$ 2>/dev/null; do
      sleep 60 & s=$!
      wait "$s"
      echo "tools: still building ${names// /, } ($((SECONDS - start))s)" >&2
    done
  ) &
  hb=$!
  if [[ $tool == cni-plugins ]]; then
    out=../../bin/cni/
    mkdir -p bin/cni
  elif [[ $names == *" "* ]]; then out=../../bin/; else out=../../bin/$names; fi
  if [[ $tool == runc ]] && ! [[ -e /usr/include/seccomp.h ]]; then
    # shellcheck source=scripts/asked.sh
    source scripts/asked.sh
    asked KIND_HERE_APT "install Debian's libseccomp-dev and pkg-config with apt-get (runc links libseccomp)"
    echo "tools: runc links libseccomp: installing libseccomp-dev (apt-get) ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libseccomp-dev pkg-config >/dev/null
  fi
  # In the background and waited for, so that INT and TERM interrupt the wait at once.
  # shellcheck disable=SC2046 # pkgs is a list of package paths
  CGO_ENABLED=$(cgo "$tool") go build -C "tools/$(dir "$tool")" -trimpath -tags "$(tags "$tool")" -ldflags "$(ldflags "$tool")" -o "$out" \
    $(pkgs "$tool") >"$log" 2>&1 &
  gb=$!
  wait "$gb" || rc=$?
  gb=
  kill "$hb" 2>/dev/null || true
  wait "$hb" 2>/dev/null || true
  hb=
  if ((rc != 0)); then
    echo "tools: building $tool failed after $((SECONDS - start))s (go build exit $rc); last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  # go build leaves a binary that is already up to date untouched: mark it newer than go.mod.
  # shellcheck disable=SC2046
  touch $(printf 'bin/%s ' $names)
  rm -f "$log"
  exec {lock}>&-
  echo "tools: built bin/${names// /, bin/} in $((SECONDS - start))s" >&2
}

tools=("$@")
((${#tools[@]})) || tools=("${all[@]}")
for t in "${tools[@]}"; do
  case " ${known[*]} " in
    *" $t "*) ;;
    *) echo "tools: unknown tool '$t' (want one of: ${known[*]})" >&2; exit 2 ;;
  esac
done
mkdir -p bin
for t in "${tools[@]}"; do build "$t"; done
