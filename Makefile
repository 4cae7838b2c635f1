# tracegate: make e2e runs the conformance suite, make test runs the unit tests and the suite.
# ENV selects the environment (default: ginkgo.yaml's, real Envoy), LABELS a Ginkgo label filter, DEBUG=1 pauses a
# failing spec with its environment up, PROCS runs specs in parallel processes.

ENV      ?=
LABELS   ?= tracing
DEBUG    ?=
PROCS    ?=
REPORTS  ?= reports

# A serial run (no PROCS) runs the compiled suite itself, with Ginkgo's flags: the Ginkgo CLI,
# which PROCS needs to run parallel processes, is as much to compile as the suite (about 45 s of
# CPU of a cold first run).
GINKGO   := go tool ginkgo
GINKGO_FLAGS := --label-filter='$(LABELS)' --junit-report=junit.xml --output-dir=$(REPORTS)
SUITE_FLAGS  := -ginkgo.label-filter='$(LABELS)' -ginkgo.junit-report=$(abspath $(REPORTS))/junit.xml
ifneq ($(PROCS),)
GINKGO_FLAGS += --procs=$(PROCS)
endif
# The kwok environment's first run builds its control plane inside the suite's setup (how long
# that takes: BENCHMARKS.md), so its run gets more than Ginkgo's default hour.
ifeq ($(or $(ENV),$(E2E_ENV)),kwok)
GINKGO_FLAGS += --timeout=2h
SUITE_FLAGS  += -ginkgo.timeout=2h
endif
# DEBUG=1 (or true) pauses and prints verbosely; DEBUG=0 is off, as the suite reads it.
ifneq ($(filter 1 true TRUE True,$(DEBUG)),)
GINKGO_FLAGS += -v
SUITE_FLAGS  += -ginkgo.v
endif

# The cluster environment types are linked only into a suite built with the cluster tag: a local
# run never compiles client-go and e2e-framework (328 of the suite's 886 packages).
ifneq ($(filter kind kwok existing,$(or $(ENV),$(E2E_ENV))),)
CLUSTER := 1
endif

ifneq ($(ENV),)
export E2E_ENV := $(ENV)
endif
# ENVOY=1.38 or 1.39: the local Envoy environments run that pinned wheel's Envoy
# (tools/envoy/envoy-<version>.yaml, a profile loaded as E2E_PROFILE) instead of 1.40's.
ENVOY ?=
ifneq ($(ENVOY),)
export E2E_PROFILE := $(abspath tools/envoy/envoy-$(ENVOY).yaml)
export E2E_IMPLEMENTATION := envoy-$(ENVOY)
endif
ifneq ($(DEBUG),)
export DEBUG
endif
# Every report of the run (JUnit, conformance.yaml and .md) goes to REPORTS.
export E2E_REPORT_DIR := $(abspath $(REPORTS))

.PHONY: schema example-report mutate-contour e2e e2e-caddy e2e-kwok e2e-kwok-contour e2e-verdicts e2e-implementer test unit lint fmt soak mutate mutate-faults mutate-sampling bench stale-reports contract skip-kwok
comma := ,
.PHONY: matrix e2e-matrix echo-image plan kind-tools kind-up kind-down kwok-down e2e-kind-here kind-here-images kind-here-engine kind-here-up kind-here-down test-kind
# Every target that builds or runs something fails if it left the repository's tree changed: a
# tracked file edited, or a file created that .gitignore does not cover (a build that resolved
# modules in the root go.mod, say). Builds use modules of their own under tools/.
UNCHANGED := bash scripts/tree-unchanged.sh

# The suite is linked once, then run from its binary until a Go file, go.mod or go.sum changes:
# linking it was most of a warm run (4-8 s on two cores). -s -w: no symbol table or DWARF, a
# third less link time (stack traces keep their function names and lines).
SUITE     := suites/tracing/tracing.test
SUITE_TAGS :=
ifneq ($(CLUSTER),)
SUITE     := suites/tracing/tracing-cluster.test
SUITE_TAGS := -tags=cluster
endif
SUITE_SRC := go.mod go.sum $(shell find . -name '*.go' -not -path './tools/*' -not -path './bin/*' -not -path './.tracegate/*' -not -path './_artifacts/*' -not -path './examples/*')

# The previous run's reports in REPORTS go before the suite is compiled (an order-only
# prerequisite of the suite, so also under -j): a suite that does not compile, or a run killed
# before it writes its report, leaves no report claiming an old result.
$(SUITE): $(SUITE_SRC) | stale-reports
	@echo "tracegate: compiling the suite"
	$(UNCHANGED) go test -c $(SUITE_TAGS) -ldflags='-s -w' -o $(SUITE) ./suites/tracing

stale-reports:
	@rm -f $(addprefix $(REPORTS)/,conformance.yaml conformance.md junit.xml)

e2e: $(SUITE)
	@echo "tracegate: running the suite in environment $(or $(ENV),$(E2E_ENV),from ginkgo.yaml) (reports in $(REPORTS))"
ifeq ($(PROCS),)
	$(UNCHANGED) env -C $(dir $(SUITE)) ./$(notdir $(SUITE)) $(SUITE_FLAGS)
else
	$(UNCHANGED) $(GINKGO) $(GINKGO_FLAGS) $(SUITE)
endif

# A contributor's quick tests: the unit tests of every package (no gateway, no cluster, no root).
# A test this machine cannot run (no root for a namespace, no git) skips through internal/testenv:
# listed in SKIPPED for make test's summary, and under CI=true a failure.
unit:
	$(UNCHANGED) env TRACEGATE_SKIPPED=$(SKIPPED) TRACEGATE_RUN=$$$$ go test . ./conformance/... ./framework/... ./features/... ./cmd/... ./internal/... ./profile/... ./report/...

# What this machine cannot run is skipped with why, written to SKIPPED and listed at the end of
# make test, never counted as passed; under CI=true a skip is a failure instead.
ROOT    := $(filter 0,$(shell id -u))
SKIPPED := $(abspath $(REPORTS))/skipped.txt
NO_ROOT := it needs root (network namespaces), and this user is not root
skip = if [ "$$CI" = true ]; then echo "tracegate: cannot run $(1): $(2); CI=true, so this is a failure, not a skip" >&2; exit 1; fi; \
	echo "tracegate: SKIPPED $(1): $(2)"; mkdir -p $(dir $(SKIPPED)); echo "$(1): $(2)" >> $(SKIPPED)

# The suite on the default (real Envoy), on Caddy, and on Envoy Gateway and Contour in kwok
# clusters (root), real runs on Caddy whose reports are checked (an interrupt, a misdeclared
# deviation), and the suite run from an implementer's module through the public door, locally
# and on kwok (root). Without root the kwok runs are skipped and listed as such at the end.
test:
	@rm -f $(SKIPPED)
	$(MAKE) unit e2e e2e-caddy $(if $(ROOT),e2e-kwok e2e-kwok-contour,skip-kwok) e2e-verdicts e2e-implementer e2e-matrix
	@if [ -s $(SKIPPED) ]; then echo "tracegate: make test passed what it ran; SKIPPED, not passed:"; sed 's/^/  /' $(SKIPPED); \
	else echo "tracegate: make test ran everything and passed"; fi

skip-kwok:
	@$(call skip,make e2e-kwok and make e2e-kwok-contour (Envoy Gateway and Contour on kwok),$(NO_ROOT))

# The public door as an implementer uses it: examples/implementer, a module of its own (a replace
# to this repository), runs the suite with go test through package conformance only, on its own
# profile (my-envoy: the pinned Envoy, its own bootstrap), reports in REPORTS/implementer; then
# (root) its cluster test, examples/implementer/cluster: Envoy Gateway on a kwok cluster through
# the door, with this repository as its tools directory (E2E_TOOLS_DIR), reports in
# REPORTS/implementer-kwok.
e2e-implementer:
	$(UNCHANGED) env -C examples/implementer IMPLEMENTER_REPORTS=$(abspath $(REPORTS))/implementer go test -count=1 .
ifneq ($(ROOT),)
	$(UNCHANGED) env -C examples/implementer IMPLEMENTER_REPORTS=$(abspath $(REPORTS))/implementer-kwok E2E_TOOLS_DIR=$(CURDIR) go test -count=1 -timeout=2h ./cluster
else
	@$(call skip,examples/implementer/cluster (the door on kwok),$(NO_ROOT))
endif

# Real runs on Caddy (ENV=local) whose reports are checked (cmd/internal/suiterun): one interrupted
# (SIGINT to its process group, as Ctrl-C) while a spec runs, and one with a declared deviation
# the gateway does not match.
e2e-verdicts: $(SUITE)
	TRACEGATE_SUITE=$(abspath $(SUITE)) go test -count=1 -run 'TestInterruptedRunReport|TestMisdeclaredDeviationIsAFailure|TestFailedTeardownReport' ./cmd/internal/suiterun/

e2e-caddy:
	$(MAKE) e2e ENV=local REPORTS=$(REPORTS)/caddy

# Envoy Gateway on a kwok cluster of this machine (needs root; the first run builds the control
# plane: BENCHMARKS.md).
e2e-kwok:
	$(MAKE) e2e ENV=kwok REPORTS=$(REPORTS)/kwok

# Contour on a kwok cluster of this machine: one Contour and one Envoy per Gateway, local
# processes (needs root; the first run also builds bin/contour: BENCHMARKS.md).
e2e-kwok-contour:
	$(MAKE) e2e ENV=kwok E2E_IMPLEMENTATION=contour REPORTS=$(REPORTS)/kwok-contour

# The fixture contract (framework/contract): each feature's requests and what the gateway must do
# with them, the custom attributes, the variants and how each profile gives them, the template
# fields; as docs/bring-your-gateway.md shows it. E2E_PROFILE adds your profile.
contract:
	@$(UNCHANGED) go run ./cmd/contract

# The profile's JSON Schema (profiles/profile.schema.json) and key reference
# (docs/profile-reference.md), from the public profile types and the keys environment types
# register; cmd/internal/profileschema's test fails while they are stale.
schema:
	go run ./cmd/profileschema

# The example report in docs/example-report, from a real run on the default environment (local
# Envoy); report/v1alpha5's test fails while it is not what the schema's types write.
example-report:
	$(MAKE) e2e REPORTS=$(REPORTS)/example
	go run ./cmd/examplereport -from $(REPORTS)/example -to docs/example-report

lint:
	$(UNCHANGED) go vet ./...
	$(UNCHANGED) go -C examples/implementer vet ./...
	$(UNCHANGED) go -C examples/implementer mod tidy -diff
	$(UNCHANGED) go vet -tags cluster ./suites/...
	@# The suite runs on Linux only, but every package builds elsewhere (the suite says so at run time;
	@# a Linux-only tool, such as cmd/runc-nocap, carries a build constraint).
	$(UNCHANGED) env GOOS=darwin go build ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(UNCHANGED) go build -C tools/actionlint -o ../../bin/actionlint github.com/rhysd/actionlint/cmd/actionlint
	bin/actionlint
	$(UNCHANGED) go test -count=1 -run 'TestNoBinaryOrLargeFileTracked|TestTrackedProblem|TestGoLinesFit|TestLongGoLines' .

fmt:
	gofmt -w $$(git ls-files '*.go')

# Run the suite N times under a fault profile (ENV, default local-faults) and count failures;
# PROCS Ginkgo processes a run (default 1).
N ?= 10
soak:
	$(UNCHANGED) go run ./cmd/soak -n $(N) -env $(or $(ENV),local-faults) -procs $(or $(PROCS),1)

# Run the suite against each gateway mutation of Caddy and Envoy and check the owning spec
# catches it: MUTATE_PARALLEL runs at once, each with MUTATE_PROCS Ginkgo processes, or the
# processes its mutation asks for (a mutation that stops every span makes each spec wait out its
# span and late-span waits, idle: those runs get more processes and start first).
MUTATE_PROCS ?= 4
MUTATE_PARALLEL ?= 6
mutate:
	$(UNCHANGED) go run ./cmd/mutate -catalogue fixtures/mutations/caddy.yaml,fixtures/mutations/envoy.yaml -procs $(MUTATE_PROCS) -parallel $(MUTATE_PARALLEL)

# Contour's tracing configuration wrong in one way each, on kwok (needs root; about 40 s a
# mutation once the control plane is built).
mutate-contour:
	$(UNCHANGED) go run ./cmd/mutate -catalogue fixtures/mutations/contour.yaml

# False passes: the mutations an absence check owns (Caddy's two sampling ones under
# local-faults, Envoy's under envoy-faults), N runs each (default 20), each run only the owner
# spec (-owner-only), MUTATE_PARALLEL runs at once, counting the runs each escaped.
# MUTATE_ENVS picks the fault environments (default both).
MUTATE_ENVS ?= local-faults envoy-faults
mutate-faults: N = 20
mutate-faults:
	$(if $(filter local-faults,$(MUTATE_ENVS)),$(UNCHANGED) go run ./cmd/mutate -catalogue fixtures/mutations/caddy.yaml -env local-faults -runs $(N) -owner-only -parallel $(MUTATE_PARALLEL) -only zero-sampling-ignored$(comma)caller-unsampled-decision-ignored)
	$(if $(filter envoy-faults,$(MUTATE_ENVS)),$(UNCHANGED) go run ./cmd/mutate -catalogue fixtures/mutations/envoy.yaml -env envoy-faults -runs $(N) -owner-only -parallel $(MUTATE_PARALLEL) -only zero-sampling-ignored)

# The 0% sampling claim's escape table (BENCHMARKS.md): each partial-sampler mutation (1% and 10%
# of new traces sampled) on Envoy and Caddy, N runs each (default 20), each run only the owner
# spec (-owner-only), counting the runs each escaped, in one table; the target fails
# if any run escaped (about 1 run in 100 of the 1% leak is expected to: 0.99^460 = 1.0%).
mutate-sampling: N = 20
mutate-sampling:
	$(UNCHANGED) go run ./cmd/mutate -catalogue fixtures/mutations/envoy.yaml,fixtures/mutations/caddy.yaml -runs $(N) -owner-only -only zero-sampling-leaks-1pct$(comma)zero-sampling-leaks-10pct

# Receiver throughput and memory, span delay, suite wall time, and the strategy table (tracegate
# against log scraping and count delta, on Caddy and real Envoy), as in BENCHMARKS.md.
# BENCH_STRATEGY_N sets the requests per strategy (default 20).
bench:
	$(UNCHANGED) bash scripts/bench.sh

# One matrix of every gateway: each gateway and path this machine can run (local Envoy 1.40, 1.39
# and 1.38, Caddy, Envoy behind the Collector, Envoy Gateway and Contour on kwok, Envoy Gateway and
# Contour on kind here when its node image is built), one after another, then
# reports/matrix/index.html, checked in headless Chromium, and its picture
# reports/matrix/matrix.png. MATRIX_COLUMNS picks columns by name.
matrix:
	$(UNCHANGED) bash scripts/matrix.sh

# The matrix of make test's own runs, checked in headless Chromium (no extra gateway run).
# Without Chromium (outside CI nothing installs it) the browser check is skipped and listed.
e2e-matrix:
	$(UNCHANGED) go run ./cmd/matrix -out $(REPORTS)/matrix-test $(REPORTS) $(REPORTS)/caddy $(REPORTS)/kwok $(REPORTS)/kwok-contour
	@if bash scripts/chromium.sh >/dev/null; then \
		echo "MATRIX_PAGE=$(abspath $(REPORTS))/matrix-test/index.html go test -count=1 -run TestPageInBrowser ./cmd/internal/matrix/"; \
		MATRIX_PAGE=$(abspath $(REPORTS))/matrix-test/index.html $(UNCHANGED) go test -count=1 -run TestPageInBrowser ./cmd/internal/matrix/; \
	else $(call skip,the matrix page's check in headless Chromium (make e2e-matrix),Chromium is not installed (apt-get install chromium)); fi

# Cluster environments (ENV, default kind): the ordered plan of a run, printed without touching
# anything; a kind cluster with the implementation installed, kept for runs to reuse; its removal.
plan:
	E2E_ENV=$(or $(ENV),$(E2E_ENV),kind) $(UNCHANGED) go run ./cmd/cluster plan

# kind and Helm into bin/, from tools/kind and tools/helm (the suite builds them too when missing).
kind-tools:
	go build -C tools/kind -o ../../bin/kind sigs.k8s.io/kind
	go build -C tools/helm -o ../../bin/helm helm.sh/helm/v3/cmd/helm

kind-up:
	E2E_ENV=$(or $(ENV),$(E2E_ENV),kind) $(UNCHANGED) go run ./cmd/cluster up

kind-down:
	E2E_ENV=$(or $(ENV),$(E2E_ENV),kind) $(UNCHANGED) go run ./cmd/cluster down

# kind on this machine, with no registry: uses the Docker engine that answers, or, when none
# does, starts Debian's (root; networks in 198.18.0.0/15) only under CI or when asked
# (KIND_HERE_ENGINE=1, or make kind-here-engine first; otherwise it stops saying what it would
# do); builds the kind node image and every image of the run from pinned sources
# (scripts/kind-here/images.sh; about 40 CPU minutes the first time; Debian packages it lacks are
# installed only under CI or with KIND_HERE_APT=1), stages Envoy Gateway's charts from its Go
# module, then runs the suite in the kind environment with them. E2E_KEEP=1 keeps the cluster
# for the next run to reuse (make kind-here-down removes it).
e2e-kind-here: kind-here-images
	E2E_KIND_HERE=1 $(MAKE) e2e ENV=kind

# The kind environment once on this machine (Kubernetes 1.36.3), Envoy Gateway then Contour,
# reports in reports/kind-here and reports/kind-here-contour; .ci/run runs it after make test (its
# cold and warm cost: BENCHMARKS.md).
test-kind:
	$(MAKE) e2e-kind-here REPORTS=$(REPORTS)/kind-here
	$(MAKE) e2e-kind-here-contour REPORTS=$(REPORTS)/kind-here-contour

# Contour on kind here, installed as its users install it: its Gateway provisioner manifests from
# its pinned Go module, with the Contour image built from that module and Envoy from the pinned
# wheel (scripts/kind-here/contour.sh). Builds what make kind-here-images builds when missing. Kubernetes
# 1.36, the one node image built here, is outside Contour v1.33's stated window: E2E_OUTSIDE_WINDOW.
.PHONY: e2e-kind-here-contour
e2e-kind-here-contour: kind-here-images
	bash scripts/kind-here/contour.sh
	E2E_KIND_HERE=1 E2E_OUTSIDE_WINDOW=1 $(MAKE) e2e ENV=kind E2E_IMPLEMENTATION=contour

kind-here-images:
	bash scripts/kind-here/engine.sh need
	bash scripts/kind-here/images.sh
	bash scripts/kind-here/charts.sh

# The suite's echo upstream (cmd/echo) as an image for your registry, for an existing cluster
# (E2E_ECHO_IMAGE, conformance.WithEchoImage): IMAGE names it, PUSH=1 pushes it. Needs Go and
# Docker (docker build, FROM scratch); without Docker the script says how ko does it from Go alone.
echo-image:
	$(UNCHANGED) env IMAGE='$(IMAGE)' PUSH='$(PUSH)' bash scripts/echo-image.sh

# The cluster of make e2e-kind-here, created (or reused) with Envoy Gateway installed and kept:
# later make e2e-kind-here runs reuse it as it is and delete only their own namespace, until
# make kind-here-down (or make kind-down ENV=kind) deletes it.
kind-here-up: kind-here-images
	E2E_KIND_HERE=1 $(MAKE) kind-up ENV=kind

# Starts Debian's Docker engine for make e2e-kind-here (root; installs docker.io with apt-get
# the first time), unless an engine answers already; make kind-here-down stops it.
kind-here-engine:
	bash scripts/kind-here/engine.sh up

# Removes what make e2e-kind-here made: the kind cluster, the images tracegate.local/*, and the
# Docker engine it started (an engine it found running is left alone).
kind-here-down:
	bash scripts/kind-here/down.sh

# What a kept (E2E_KEEP=1, DEBUG=1) or killed kwok run left: its control plane and work directory.
kwok-down:
	E2E_ENV=$(or $(ENV),kwok) $(UNCHANGED) go run ./cmd/cluster down
