package conformance

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
)

// Option is a setting of Run, each documented where it is made.
type Option func(*options)

// options is what the Options said.
type options struct {
	profileFile string
	profile     any // WithProfile's value, or nil
	profileSet  bool
	environment string
	reportDir   string
	labelFilter string
	skip        []string
	toolsDir    string
	// set are the config variables the cluster options give (config.EnvKubeconfig, ...).
	set map[string]string
}

// WithProfileFile brings the implementation's profile file: a mapping whose only key is
// implementations, holding one implementation as tracegate's own profiles/<name>.yaml do. Its
// relative paths (config template, command, build) resolve against its own directory; a relative
// path is the working directory's (under go test, the test's package directory). The run tests
// that implementation. It may name an
// implementation of tracegate's own profiles (envoy, caddy, envoy-gateway, kgateway) to replace
// it.
func WithProfileFile(path string) Option {
	return func(o *options) { o.profileFile = path }
}

// WithProfile brings the implementation's profile as a Go value instead of a file: anything that
// marshals to YAML as a profile file's content does (go.yaml.in/yaml/v3), such as a
// profile.File (package github.com/tracegate/tracegate/profile, the profile's public types; an
// environment type's own cluster keys, kind's localBuild and kwok's kwok, are not written), a
// map[string]any{"implementations": map[string]any{"my-gateway": ...}} or a struct of your own
// with yaml tags. It is written to a file of the test's temporary directory and checked as
// strictly as a file (an unknown key is an error naming it); its relative paths resolve against
// the working directory (under go test, the test's package directory). Give WithProfile or
// WithProfileFile, not both.
func WithProfile(profile any) Option {
	return func(o *options) { o.profile, o.profileSet = profile, true }
}

// WithEnvironment names the environment of tracegate's embedded ginkgo.yaml to run in, instead
// of E2E_ENV or its default, envoy: a local environment (the gateway a child process on
// 127.0.0.1, spans to the suite's receiver over OTLP/gRPC, a 100 ms export delay). The other
// local ones: envoy-http (OTLP/HTTP), local (OTLP/HTTP, 10 ms), local-faults and envoy-faults
// (behind fault-injecting proxies). A cluster environment (kind, kwok, existing) needs its type
// linked: blank-import github.com/tracegate/tracegate/framework/environment/kind, kwok or
// existing; kwok needs WithToolsDir too, existing WithKubeconfig or $KUBECONFIG.
func WithEnvironment(name string) Option {
	return func(o *options) { o.environment = name }
}

// WithReportDir is where conformance.yaml, conformance.md, junit.xml and the failure artifacts
// (_artifacts/) go, instead of E2E_REPORT_DIR or reports/ in the working directory.
func WithReportDir(dir string) Option {
	return func(o *options) { o.reportDir = dir }
}

// WithToolsDir names a checkout of tracegate (github.com/tracegate/tracegate at the version the
// test requires) whose tools/ modules and bin/ the run builds and finds its pinned tools in,
// instead of E2E_TOOLS_DIR: the kwok environment's control plane, Envoy Gateway and Contour
// (scripts/build-tools.sh there; about 35 CPU minutes the first time, seconds once built). A
// module cannot embed tools/, which holds a Go module per tool. Local environments and kind
// need none: kind and Helm come from PATH or their pinned modules.
func WithToolsDir(dir string) Option {
	return func(o *options) { o.toolsDir = dir }
}

// WithKubeconfig names the kubeconfig file and context of the cluster an existing environment
// runs against (WithEnvironment("existing")), instead of $KUBECONFIG (or ~/.kube/config) and its
// current context; "" keeps that default. E2E_KUBECONFIG and E2E_KUBE_CONTEXT do the same.
func WithKubeconfig(path, context string) Option {
	return func(o *options) { o.setVar(config.EnvKubeconfig, path); o.setVar(config.EnvKubeContext, context) }
}

// WithReceiver says where the suite's OTLP receiver listens for a cluster's spans: bind is an IP
// of this machine ("auto", the default, finds it: the kind network's gateway, or this machine's
// address on the route to the API server), advertise the IP the cluster's pods send spans to,
// when it differs (Docker Desktop, rootless Docker, a remote cluster behind NAT); "" keeps the
// environment's. E2E_RECEIVER_BIND and E2E_RECEIVER_ADVERTISE do the same.
func WithReceiver(bind, advertise string) Option {
	return func(o *options) {
		o.setVar(config.EnvReceiverBind, bind)
		o.setVar(config.EnvReceiverAdvertise, advertise)
	}
}

// WithEchoImage names the suite's echo upstream (cmd/echo) as an image the cluster can pull,
// for an existing cluster, where the suite loads no image (make echo-image in a tracegate
// checkout builds one for your registry). Without it an existing cluster runs Gateway API's
// echo server, which cannot answer a chosen status or hold its answer: the rows that need those
// (ErrorStatus's 5xx, most of StatusMatrix, ...) are then reported not applicable, with that
// reason. E2E_ECHO_IMAGE does the same.
func WithEchoImage(image string) Option {
	return func(o *options) { o.setVar(config.EnvEchoImage, image) }
}

// setVar records a config variable an option gives; "" gives none.
func (o *options) setVar(name, value string) {
	if value == "" {
		return
	}
	if o.set == nil {
		o.set = map[string]string{}
	}
	o.set[name] = value
}

// WithLabelFilter selects specs with a Ginkgo label filter, such as
// "Feature: containsAny {SpanName, Propagation}", instead of -ginkgo.label-filter.
func WithLabelFilter(filter string) Option {
	return func(o *options) { o.labelFilter = filter }
}

// WithSkip skips the specs and table rows with these stable IDs (the id: label, the id of each
// entry of conformance.yaml, features/tracing/ids.txt), such as "sampling-zero" or
// "tc-two-traceparents-invalid": each is reported skipped with that reason, never passed. The ID
// of a trace-context row skips its run over HTTP/2 too. An ID that names no spec or row stops
// the run before anything starts. E2E_SKIP gives the same list to make e2e.
func WithSkip(ids ...string) Option {
	return func(o *options) { o.skip = append(o.skip, ids...) }
}

// newOptions applies opts and makes the report directory absolute.
func newOptions(opts []Option) (*options, error) {
	o := &options{}
	for _, opt := range opts {
		opt(o)
	}
	dir, err := filepath.Abs(cmp.Or(o.reportDir, os.Getenv("E2E_REPORT_DIR"), "reports"))
	if err != nil {
		return nil, fmt.Errorf("conformance: the report directory: %w", err)
	}
	o.reportDir = dir
	if err := tracing.CheckSkip(o.skip); err != nil {
		return nil, fmt.Errorf("conformance: WithSkip: %w", err)
	}
	if o.toolsDir = cmp.Or(o.toolsDir, os.Getenv("E2E_TOOLS_DIR")); o.toolsDir != "" {
		if o.toolsDir, err = filepath.Abs(o.toolsDir); err != nil {
			return nil, fmt.Errorf("conformance: the tools directory: %w", err)
		}
		if _, err := os.Stat(filepath.Join(o.toolsDir, "scripts", "build-tools.sh")); err != nil {
			return nil, fmt.Errorf("conformance: WithToolsDir (or E2E_TOOLS_DIR) %s is not a checkout of tracegate: %w", o.toolsDir, err)
		}
	}
	return o, nil
}
