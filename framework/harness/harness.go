// Package harness wires config, environment, request history and failure diagnostics into a
// Ginkgo suite, so that a suite file is a few lines and a spec sees only what it needs.
package harness

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/debug"
	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/environment"
	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/verdict"
)

// Harness is what one Ginkgo process shares with its specs once the suite has started.
type Harness struct {
	Config   *config.Config
	Env      environment.Environment
	Gateway  *request.Client
	Requests *request.History

	// features is every feature the suite registered: the profile check and the report use it.
	features []report.Feature
	loadErr  string // why the config did not load, for the report
	observed string // the gateway's own version as its spans report it, for the report

	load      Loader // LoadWith; config.Load by default
	reportDir string // ReportWithoutConfigTo
}

// Setup registers the suite-level nodes and returns the harness they fill in. Call it once,
// at the top level of a suite package (or before RunSpecs), with every feature the suite
// registers.
func Setup(features []report.Feature, opts ...Option) *Harness {
	h := &Harness{Requests: &request.History{}, features: features, load: loadFromEnvironment}
	for _, o := range opts {
		o(h)
	}
	var provisioner environment.Provider // process 1 only: it tears down what it provisioned
	SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
		// Process 1 validates the config before anything slow starts, logs it once, and
		// provisions what every process shares (a gateway build, a cluster).
		h.Config = h.mustLoad()
		fmt.Fprintf(os.Stdout, "tracegate resolved config:\n%s\n", h.Config.Summary())
		removeStaleReport(h.Config.ReportDir)
		removeStaleEvidence(h.Config.ReportDir)
		provisioner = mustProvider(h.Config)
		shared, err := provisioner.Provision(ctx)
		if err != nil {
			h.setupFailed(ctx, provisioner, nil, err)
		}
		return shared
	}, func(ctx SpecContext, shared []byte) {
		if h.Config == nil { // every process but 1, which loaded it above
			h.Config = h.mustLoad()
		}
		env, err := mustProvider(h.Config).Connect(ctx, shared)
		if env != nil {
			h.Env = env
			DeferCleanup(func(ctx SpecContext) error { return env.Stop(ctx) })
		}
		if err != nil {
			h.setupFailed(ctx, nil, env, err)
		}
		h.Gateway = h.client(h.Env.GatewayURL())
		// One success can come from a route that is still converging (a new HTTPRoute, a proxy
		// that just started): specs start once the gateway answers several times in a row.
		err = h.Gateway.AwaitConsistent(ctx, h.Config.MustWait(config.WaitRequestConverged), http.StatusOK,
			request.Host(contract.Converged.Host), request.Path(contract.Converged.Path))
		if err != nil {
			Fail("the gateway did not answer consistently before the specs: " + err.Error())
		}
	})
	SynchronizedAfterSuite(func() {
		if h.Env != nil && h.Config != nil {
			h.observed = observedVersion(h.Env.Spans().All(), h.Config.Implementation.ServiceName)
		}
	}, func(ctx SpecContext) {
		if provisioner != nil {
			if err := provisioner.Teardown(ctx); err != nil {
				Fail(err.Error())
			}
		}
	})
	ReportAfterSuite("tracing conformance report", h.writeConformanceReport)
	BeforeEach(func() {
		h.skipUnsupportedFeatures()
		h.Requests.Reset()
		difference.Reset()
		DeferCleanup(h.onDeviation)
		DeferOnFailure(h.onFailure, NodeTimeout(h.Config.Debug.PauseTimeout+h.Config.MustWait(config.WaitFailureBundle).Timeout))
	})
	return h
}

func (h *Harness) mustLoad() *config.Config {
	if err := process.Supported(); err != nil {
		Fail(err.Error())
	}
	names := make([]string, len(h.features))
	for i, f := range h.features {
		names[i] = f.Name
	}
	cfg, err := h.load(names)
	if err == nil {
		err = CheckDeviations(cfg, h.features)
	}
	if err != nil {
		h.loadErr = err.Error()
		Fail("invalid tracegate config:\n" + err.Error())
	}
	return cfg
}

// mustProvider makes the provider of the config's environment type, as its package registered
// it (environment.Register); a type this binary does not link fails the suite with how to build it.
func mustProvider(cfg *config.Config) environment.Provider {
	t, err := environment.Lookup(cfg.Environment.Type)
	if err != nil {
		Fail(fmt.Sprintf("environment %q: %v", cfg.Environment.Name, err))
	}
	// A cluster's steps take seconds to minutes, a gateway build as long: shown as they happen.
	return t.New(cfg, GinkgoWriter, os.Stdout)
}

func (h *Harness) client(baseURL string) *request.Client {
	// Each answer's connection stays open for the span wait, so a span check whose spans
	// arrived without matching can prove them complete with a marker over it
	// (features/tracing/mismatch.go).
	opts := []request.ClientOption{request.LogTo(GinkgoWriter), request.RecordIn(h.Requests),
		request.KeepConnections(h.Config.MustWait(config.WaitSpan).Timeout)}
	if d, ok := h.Env.(environment.Dialing); ok {
		opts = append(opts, request.DialWith(d.Dialer()))
	}
	if limit := h.Config.UpstreamLimit(); limit != "" {
		opts = append(opts, request.Unanswerable(func(header string) {
			verdict.End(verdict.NotApplicable, fmt.Sprintf("the row needs the suite's echo upstream (a request carrying %s): %s", header, limit))
		}, echo.StatusHeader, echo.HoldHeader))
	}
	return request.NewClient(baseURL, h.Config.Request, opts...)
}

// Diagnostics says what the environment's receiver got, where it can tell.
func (h *Harness) Diagnostics() string {
	if d, ok := h.Env.(environment.Diagnosable); ok {
		return d.ReceiverStats()
	}
	return "no counts from this environment's receiver"
}

// Variant returns a client for a named gateway variant (see environment.Environment.Variant).
func (h *Harness) Variant(ctx context.Context, name string) (*request.Client, error) {
	url, err := h.Env.Variant(ctx, name)
	if err != nil {
		return nil, err
	}
	return h.client(url), nil
}

// skipUnsupportedFeatures skips a spec whose Feature label names something the implementation
// profile does not list. A spec for a supported feature that fails is a failure, never a skip.
func (h *Harness) skipUnsupportedFeatures() {
	if reason := unsupported(CurrentSpecReport().Labels(), h.features, h.Config); reason != "" {
		Skip(reason)
	}
}

// unsupported returns why a spec with these labels is skipped, or "" when the profile lists
// every feature the labels name.
func unsupported(labels []string, features []report.Feature, cfg *config.Config) string {
	impl := cfg.Implementation
	for _, f := range features {
		if slices.Contains(labels, f.Label) && !impl.Supports(f.Name) {
			return fmt.Sprintf("%s %s does not support feature %s (implementations.%s.features in %s)",
				impl.Name, impl.Version, f.Name, impl.Name, cfg.ImplementationFile())
		}
	}
	return ""
}

// onFailure runs before any cleanup of the failed spec: it writes the bundle as artifacts and,
// in debug mode, prints it and pauses with everything still up.
func (h *Harness) onFailure(ctx SpecContext) {
	report := CurrentSpecReport()
	failure := report.Failure.Message
	// The failure's typed differences, for the tools that hold it to what it must show (cmd/mutate).
	AddReportEntry(difference.EntryName, difference.Of(failure).Differences, ReportEntryVisibilityNever)
	if d, ok := h.Env.(environment.Diagnosable); ok {
		for _, exited := range d.Exited() {
			fmt.Fprintf(GinkgoWriter, "GATEWAY PROCESS ENDED: %s\n", exited)
			failure += "\n\nGATEWAY PROCESS ENDED: " + exited
		}
	}
	bundle := debug.Collect(report.FullText(), failure, h.Config.Environment.Name, h.Env, h.Requests.Responses())
	dir := debug.Dir(h.Config.Debug.ArtifactsDir, report.FullText(), time.Now())
	if err := bundle.Write(dir, h.Env); err != nil {
		fmt.Fprintf(GinkgoWriter, "wrote failure artifacts to %s; some could not be collected: %v\n", dir, err)
	}
	AddReportEntry("artifacts", dir)
	if !h.Config.Debug.Enabled {
		return
	}
	out, tty, closeConsole := debug.Console()
	defer closeConsole()
	resumed := debug.Pauser{
		Enabled: h.Config.Debug.Enabled, Timeout: h.Config.Debug.PauseTimeout,
		Out: out, Terminal: tty, MarkerDir: h.Config.Debug.ArtifactsDir,
	}.Pause(ctx, bundle.String()+"artifacts: "+dir+"\n")
	fmt.Fprintf(out, ">>> resumed by %s\n", resumed)
}
