#!/usr/bin/env bash
# The Docker engine of `make e2e-kind-here`, started only when asked and only on a machine
# without one of its own:
#   engine.sh need   use the engine that answers (changing nothing); when none does, start one
#                    as `up` does only under CI or with KIND_HERE_ENGINE=1, and otherwise stop
#                    saying what it would do (make e2e-kind-here runs this)
#   engine.sh up     use the engine that answers (changing nothing), or install Debian's
#                    docker.io and start dockerd with this project's daemon.json: asked for by
#                    name (make kind-here-engine); then create the `kind` network in 198.19.1.0/24
#   engine.sh down   stop the engine this script started (by its pid file), nothing else
# Every network of the engine it starts is in 198.18.0.0/15 (RFC 2544's benchmarking range):
# the default bridge (bip) and the pools of new networks. Its default runtime is runc-nocap
# (cmd/runc-nocap), which removes the capabilities this machine's bounding set lacks, without
# which no privileged container (a kind node) starts here. kind on Podman
# (KIND_EXPERIMENTAL_PROVIDER=podman) is refused: Docker is never installed beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."

state=.tracegate/kind-here
pidfile=$state/dockerd.pid
log=$state/dockerd.log
kind_subnet=198.19.1.0/24
# shellcheck source=scripts/asked.sh
source scripts/asked.sh

say() { echo "kind-here: $*" >&2; }
fail() { say "$*"; exit 1; }

ours() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

answers() { timeout 10 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

# closefds closes every descriptor of this (sub)shell above 2.
closefds() {
  local fd
  for fd in $(ls /proc/$BASHPID/fd); do
    ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

# other_provider refuses kind on another provider before anything changes.
other_provider() {
  local p=${KIND_EXPERIMENTAL_PROVIDER:-docker}
  [[ $p == docker ]] && return
  fail "KIND_EXPERIMENTAL_PROVIDER=$p: make e2e-kind-here builds its images with docker build and runs its node in Docker's engine (with the runc-nocap runtime); it does not run on $p, and it never installs Docker beside $p. Unset KIND_EXPERIMENTAL_PROVIDER to use Docker, or run a kind cluster of your own on $p as E2E_ENV=existing (docs/kubernetes.md)"
}

need() {
  other_provider
  if answers || ours; then
    up
    return
  fi
  local first=
  command -v dockerd >/dev/null || first="install Debian's docker.io with apt-get, then "
  say "no Docker engine answers (docker info)"
  asked KIND_HERE_ENGINE "${first}start a Docker engine as root: dockerd --config-file $state/daemon.json (networks in 198.18.0.0/15, runtime runc-nocap), running until make kind-here-down (make kind-here-engine does only that)"
  up
}

up() {
  other_provider
  if answers && ! ours; then
    say "using the Docker engine that already answers ($(docker info --format '{{.ServerVersion}}' 2>/dev/null)); nothing of this machine is changed"
    network
    return
  fi
  if ! ours; then
    start
  fi
  network
}

start() {
  [[ $(id -u) == 0 ]] || fail "no Docker engine answers, and starting one needs root (it installs Debian's docker.io and runs dockerd); run as root, or start Docker yourself"
  if ! command -v dockerd >/dev/null; then
    command -v apt-get >/dev/null || fail "no Docker engine answers and this is not a Debian machine (no apt-get): install and start Docker yourself"
    say "installing Debian's docker.io (apt-get; about a minute) ..."
    apt-get update -qq >"$state/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >>"$state/apt.log" 2>&1 ||
      fail "apt-get install docker.io failed; its output is in $state/apt.log"
  fi
  [[ -d /sys/fs/cgroup ]] || fail "dockerd needs cgroups and /sys/fs/cgroup is missing"
  grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || fail "dockerd needs the overlay file system, which this kernel does not offer (/proc/filesystems)"
  say "building the runtime wrapper bin/runc-nocap (cmd/runc-nocap) ..."
  CGO_ENABLED=0 go build -o bin/runc-nocap ./cmd/runc-nocap
  cat >"$state/daemon.json" <<EOF
{
  "bip": "198.19.0.1/24",
  "default-address-pools": [{"base": "198.19.128.0/17", "size": 24}],
  "runtimes": {"runc-nocap": {"path": "$PWD/bin/runc-nocap"}},
  "default-runtime": "runc-nocap",
  "storage-driver": "overlay2"
}
EOF
  say "starting dockerd (config $state/daemon.json, log $log) ..."
  # setsid: the engine outlives this make target, until `make kind-here-down`. It inherits no
  # descriptor beyond 0-2: one left open (`flock /tmp/kind.lock make ...` passes its lock's)
  # would hold that lock for as long as the engine runs.
  (closefds && exec setsid dockerd --config-file "$state/daemon.json" --pidfile "$PWD/$pidfile") >"$log" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 60; i++)); do
    answers && { say "dockerd $(docker info --format '{{.ServerVersion}}') answers (pid $(cat "$pidfile"))"; return; }
    kill -0 $! 2>/dev/null || break
    sleep 1
  done
  say "dockerd did not answer (tried: dockerd --config-file $state/daemon.json as root); last lines of $log:"
  tail -n 20 "$log" >&2
  exit 1
}

# network creates kind's network in the benchmarking range before kind runs (kind would pick a
# private range), and refuses one that exists elsewhere.
network() {
  local subnets
  if subnets=$(docker network inspect kind --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' 2>/dev/null); then
    for s in $subnets; do
      [[ $s == *:* || $s == 198.18.* || $s == 198.19.* ]] ||
        fail "docker network kind has subnet $s, outside 198.18.0.0/15: remove it (docker network rm kind) so that it is made in that range"
    done
  else
    say "creating docker network kind ($kind_subnet)"
    docker network create --driver bridge --subnet "$kind_subnet" --gateway 198.19.1.1 \
      -o com.docker.network.bridge.enable_ip_masquerade=true -o com.docker.network.driver.mtu=1500 kind >/dev/null
  fi
  reachable
}

# reachable fails when another interface also routes a subnet of the kind network: the host may
# send the nodes' traffic there, and the cluster's API server then answers every request with a
# connection reset until the clusterReady wait runs out (seen with a bridge left behind by an
# engine with another data root). Nothing is removed: the interface is not this project's.
reachable() {
  local id bridge subnets subnet others
  read -r id bridge subnets < <(docker network inspect kind \
    --format '{{.Id}} {{or (index .Options "com.docker.network.bridge.name") "-"}} {{range .IPAM.Config}}{{.Subnet}} {{end}}') ||
    fail "docker network inspect kind failed"
  [[ $bridge != - ]] || bridge=br-${id:0:12}
  for subnet in $subnets; do
    [[ $subnet == *:* ]] && continue
    others=$(ip -o route show to "$subnet" | awk -v b="$bridge" '{for (i = 1; i < NF; i++) if ($i == "dev" && $(i+1) != b) print $(i+1)}' | sort -u | xargs)
    [[ -z $others ]] ||
      fail "$subnet, the subnet of docker network kind (bridge $bridge), is also routed through $others (ip route show to $subnet): the host cannot be sure to reach the kind nodes. If nothing uses $others (a bridge left by another Docker engine or data root), remove it (ip link delete <name>), then run again"
  done
}

down() {
  if ! ours; then
    say "no engine of this project runs (nothing stopped)"
    return
  fi
  local pid
  pid=$(cat "$pidfile")
  say "stopping dockerd (pid $pid)"
  kill "$pid"
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return; }; sleep 1; done
  fail "dockerd (pid $pid) did not stop within 60 s"
}

mkdir -p "$state" bin
case ${1:-} in
  need) need ;;
  up) up ;;
  down) down ;;
  *) fail "usage: $0 need|up|down" ;;
esac
