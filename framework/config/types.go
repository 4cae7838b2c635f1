// Package config loads and validates ginkgo.yaml and resolves the environment a run uses.
package config

import (
	"slices"
	"time"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
)

// Env looks up an environment variable; os.LookupEnv has this shape, tests pass a map lookup.
type Env func(string) (string, bool)

// RequestPolicy is how requests through the gateway are sent, resolved for the environment.
// AttemptTimeout is already multiplied by the timeout scale.
type RequestPolicy struct {
	AttemptTimeout       time.Duration // per attempt
	Retries              int           // extra attempts after the first
	Backoff              time.Duration // before the first retry, doubling for each next one
	MaxBackoff           time.Duration // the cap of the doubling
	RetryStatuses        []int         // response statuses that are retried (429, 502, 503, 504)
	ConsecutiveSuccesses int           // successes in a row a converging route needs
}

// Debug is the debug mode configuration.
type Debug struct {
	Enabled      bool          // debug: enabled, or DEBUG=1
	PauseTimeout time.Duration // how long a failed spec pauses with its environment up
	ArtifactsDir string        // absolute
}

// Absence is how long a "no span" check watches (absence in ginkgo.yaml). The window is the
// marker request's own arrival delay times MarkerFactor, but at least the environment's export
// delay times ExportDelayFactor, and at most the "absence" wait's timeout; never shorter than
// the export delay itself, whatever that wait says.
type Absence struct {
	MarkerFactor      float64
	ExportDelayFactor float64
}

// AbsenceWindow is the window for a marker whose span arrived markerDelay after its response.
// A gateway holds a span for up to its export delay (a flush interval) before sending it, so
// no window is shorter than that, even where the absence wait (or a timeout scale below 1)
// would cut it.
func (c *Config) AbsenceWindow(markerDelay time.Duration) time.Duration {
	window := max(time.Duration(float64(markerDelay)*c.Absence.MarkerFactor),
		time.Duration(float64(c.Environment.ExportDelay)*c.Absence.ExportDelayFactor))
	return max(min(window, c.MustWait(WaitAbsence).Timeout), c.Environment.ExportDelay)
}

// LocalProfile is how an implementation runs as a local child process. Command, Env values and
// the config template are Go templates over the addresses the suite picked.
type LocalProfile struct {
	Build          []string           // run once before the suite in the config directory; empty: no build
	Command        []string           // the gateway's argv, never empty
	ConfigTemplate string             // absolute, or "" for none
	ConfigName     string             // the file name the rendered template is written to
	Env            map[string]string  // extra environment
	ReadyPath      string             // polled until it answers with a status < 500
	Variants       map[string]Variant // differently configured gateways some specs start on first use
	H2C            bool               // the gateway's listener speaks HTTP/2 without TLS (prior knowledge) too
}

// Variant is a second gateway process of the same implementation with extra environment on top
// of LocalProfile.Env (values may be templates too).
type Variant struct {
	Env map[string]string
	// Unavailable, if set, says why the gateway cannot be configured as the variant: it is
	// never started, and the specs that need it are not applicable, with this reason.
	Unavailable string
}

// Implementation is a gateway implementation profile.
type Implementation struct {
	Name               string
	Version            string
	Features           []string
	ServiceName        string            // OTEL_SERVICE_NAME, "" for none
	ResourceAttributes map[string]string // OTEL_RESOURCE_ATTRIBUTES
	// File is the file the implementation is defined in: its profile (profiles/<name>.yaml, an
	// E2E_PROFILE file) or the config file; see Config.ImplementationFile.
	File string
	// Dir is the directory the profile's relative paths resolve against, and the local gateway's
	// working directory: the config file's, or an E2E_PROFILE file's own.
	Dir             string
	Local           *LocalProfile   // nil when the implementation has no local profile
	Cluster         *ClusterProfile // nil when the implementation has no cluster profile (cluster_types.go)
	SpanNames       SpanNames       // what the server span is named, with and without a decorator
	AttributeNaming string          // semconv or envoy: the request attribute names it uses
	// Deviations are the implementation's known deviations from a spec or table row, by feature
	// and then by the spec's or row's own text: those of the deviation sets it names
	// (implementations.<name>.deviationSets) and its own (implementations.<name>.deviations).
	// Such a spec is reported as a deviation, not a failure, while it fails as declared; a
	// failure that shows something else fails it, and so does a pass: the declaration is stale.
	Deviations map[string]map[string]Deviation
	// Project names the implementation in the conformance report, as the Gateway API
	// conformance report does (implementations.<name>.project).
	Project Project
}

// Project is who makes an implementation and where it lives.
type Project struct {
	Organization string
	Project      string
	URL          string
	Contact      []string
}

// Supports reports whether the implementation lists feature.
func (i Implementation) Supports(feature string) bool { return slices.Contains(i.Features, feature) }

// Deviation is a known deviation declared for a spec or table row: what the implementation does
// instead, in a form the suite checks (Seen: pieces of text the row's failure message must
// hold, such as `got with status UNSET` or the rule it breaks), and why (Reason).
type Deviation struct {
	Seen   []string
	Reason string
	// Source is where it is declared, for messages: "deviationSets.<set>.<feature>" or
	// "implementations.<name>.deviations.<feature>", with the file.
	Source string
}

// Deviation returns the declaration that the implementation deviates from the spec or table
// row named text of feature, if there is one.
func (i Implementation) Deviation(feature, text string) (Deviation, bool) {
	d, ok := i.Deviations[feature][text]
	return d, ok
}

// TypeLocal is the config's own environment type (environments.<name>.type): the gateway as a
// child process on this machine. The other types register themselves (RegisterType).
const TypeLocal = "local"

// Environment is the environment a run uses.
type Environment struct {
	Name           string
	Type           string // local, or a registered type such as kind
	Implementation string // the name of Config.Implementation
	// ExportDelay is how late the gateway exports a span: environments.<name>.exportDelay,
	// which the suite sets in the gateway's config where it can, or the implementation's
	// cluster.exportDelay where that is larger (ExportDelaySource then says so).
	ExportDelay       time.Duration
	ExportDelaySource string // "" when it is the environment's own
	OTLPProtocol      string // grpc, http/protobuf or http/json
	// SamplingTraces is how many new traces the 0% sampling check sends through the
	// sampling-zero variant (environments.<name>.samplingTraces, 460 by default): with none of
	// them sampled, a leak of p is ruled out at 95% confidence for p >= SamplingBound().
	SamplingTraces int
	Faults         *FaultProfile // nil: no fault injection
	Collector      *Collector    // nil: the gateway exports straight to the receiver
}

// Config is ginkgo.yaml resolved for one environment, with the environment variable overrides
// applied.
type Config struct {
	File           string // absolute path of the file loaded
	Dir            string // its directory; relative paths in the file are resolved against it
	Environment    Environment
	Implementation Implementation
	TimeoutScale   float64
	Request        RequestPolicy
	Debug          Debug
	Absence        Absence
	ReportDir      string   // absolute; the conformance report is written here
	Cluster        *Cluster // the cluster of a kind, kwok or existing environment; nil for local (cluster_types.go)
	// Profiles are the profile files merged into File: profiles/*.yaml beside it, then E2E_PROFILE's.
	Profiles []string

	waits     map[WaitName]Wait // resolved for Environment, scaled
	overrides []string          // the environment variables that changed something, "E2E_ENV=kind"
}

// Duration is a duration in ginkgo.yaml, written as a Go duration ("500ms", "5s", "2m").
type Duration = spec.Duration

// FaultProfile is what the fault-injecting proxies of an environment do (faults.<name> in
// ginkgo.yaml). A nil path injects nothing there.
type FaultProfile struct {
	Name string
	// Client is the path from the suite's requests to the gateway.
	Client *FaultPath
	// Export is the path from the gateway's exporter to the suite's receiver.
	Export *FaultPath
}

// FaultPath is the faults injected on one path.
type FaultPath struct {
	LatencyProbability     float64
	LatencyMin, LatencyMax time.Duration
	ResetFraction          float64
	BlackholeEvery         time.Duration
	BlackholeFor           time.Duration
}

// Collector is an OpenTelemetry Collector the local environment runs between the gateway and
// the suite's receiver (environments.<name>.collector), to prove the suite works behind the
// collector users deploy. Command and the config template are Go templates over ListenAddr
// (where the collector takes OTLP/HTTP), ReceiverGRPC (the suite's receiver), ConfigFile,
// WorkDir and Dir.
type Collector struct {
	Build          []string // run once before the suite in the config directory; empty: no build
	Command        []string
	ConfigTemplate string // absolute
	ConfigName     string
}

// ImplementationFile is the file the implementation is defined in, for messages that name its
// fields: its profile file, or the config file.
func (c *Config) ImplementationFile() string {
	if c.Implementation.File != "" {
		return c.Implementation.File
	}
	return c.File
}
