package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Summary describes the resolved configuration, one setting per line, in a stable order: the
// file, the environment and its implementation, the timeout scale, every wait, the request
// policy, debug, and the environment variables that changed something.
func (c *Config) Summary() string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	e, impl := c.Environment, c.Implementation
	line("file: %s", c.File)
	if len(c.Profiles) > 0 {
		line("profiles: %s", strings.Join(c.Profiles, ", "))
	}
	exportDelay := human(e.ExportDelay)
	if e.ExportDelaySource != "" {
		exportDelay += " from " + e.ExportDelaySource
	}
	line(
		"environment: %s (type %s, exportDelay %s, otlpProtocol %s, samplingTraces %d)",
		e.Name,
		e.Type,
		exportDelay,
		e.OTLPProtocol,
		e.SamplingTraces,
	)
	if c := e.Collector; c != nil {
		line("collector: %s, config %s", strings.Join(c.Command, " "), c.ConfigTemplate)
	}
	if f := e.Faults; f != nil {
		line("faults: %s (client %s; export %s)", f.Name, f.Client.describe(), f.Export.describe())
	}
	version := impl.Version
	if version == "" {
		version = "(no version given)"
	}
	line("implementation: %s %s", impl.Name, version)
	line("features: %s", orNone(impl.Features))
	if impl.ServiceName != "" {
		line("serviceName: %s", impl.ServiceName)
	}
	if len(impl.ResourceAttributes) > 0 {
		var pairs []string
		for _, k := range slices.Sorted(maps.Keys(impl.ResourceAttributes)) {
			pairs = append(pairs, k+"="+impl.ResourceAttributes[k])
		}
		line("resourceAttributes: %s", strings.Join(pairs, ", "))
	}
	if l := impl.Local; l != nil && e.Type == TypeLocal {
		if len(l.Build) > 0 {
			line("local build: %s", strings.Join(l.Build, " "))
		}
		line("local command: %s", strings.Join(l.Command, " "))
		if l.ConfigTemplate != "" {
			line("local config: %s rendered to %s", l.ConfigTemplate, l.ConfigName)
		}
		line("local readyPath: %s", l.ReadyPath)
		if len(l.Variants) > 0 {
			line("local variants: %s", list(slices.Sorted(maps.Keys(l.Variants))))
		}
	}
	c.clusterSummary(line)
	line("timeoutScale: %s", formatFloat(c.TimeoutScale))
	line("waits:")
	for _, name := range c.WaitNames() {
		w := c.waits[name]
		line("  %s: timeout %s, polling %s", name, human(w.Timeout), human(w.Polling))
	}
	p := c.Request
	line("request: attemptTimeout %s, retries %d, backoff %s doubling up to %s, retryStatuses %s, consecutiveSuccesses %d",
		human(p.AttemptTimeout), p.Retries, human(p.Backoff), human(p.MaxBackoff), orNone(p.RetryStatuses), p.ConsecutiveSuccesses)
	line("reportDir: %s", c.ReportDir)
	line(
		"absence: marker delay x%s, at least exportDelay x%s, at most the absence wait, never below exportDelay",
		formatFloat(c.Absence.MarkerFactor),
		formatFloat(c.Absence.ExportDelayFactor),
	)
	line("debug: enabled %t, pauseTimeout %s, artifactsDir %s", c.Debug.Enabled, human(c.Debug.PauseTimeout), c.Debug.ArtifactsDir)
	if len(c.overrides) > 0 {
		line("overrides: %s", strings.Join(c.overrides, ", "))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// clusterSummary adds the cluster settings to the resolved config's summary.
func (c *Config) clusterSummary(line func(string, ...any)) {
	impl := c.Implementation
	line("spanNames: default %q, decorated %q; attributeNaming %s", impl.SpanNames.Default, impl.SpanNames.Decorated, impl.AttributeNaming)
	cl, p := c.Cluster, impl.Cluster
	if cl == nil || p == nil {
		return
	}
	if cl.Settings != nil { // the type's own part
		for _, l := range cl.Settings.Summary(c) {
			line("%s", l)
		}
	}
	advertise := orDefault(cl.Receiver.Advertise, "the bound address")
	line(
		"receiver: bind %s, port %d, advertised as %s; namespace %s-<random>",
		cl.Receiver.Bind,
		cl.Receiver.Port,
		advertise,
		cl.NamespacePrefix,
	)
	if cl.EchoImage != "" {
		line("echo upstream image: %s", cl.EchoImage)
	}
	line("cluster profile: gatewayClass %s, gateway %s, proxy %s port %d", p.GatewayClass, p.Gateway, p.Proxy.Selector, p.Proxy.Port)
	line("support window: %s", p.Kubernetes)
	for _, h := range p.Helm {
		line("  helm: %s %s@%s in %s", h.Release, h.Chart, h.Version, h.Namespace)
	}
}

func (f *FaultPath) describe() string {
	if f == nil {
		return "none"
	}
	return fmt.Sprintf("latency %s-%s at p=%s, resets %s, blackhole %s every %s",
		human(f.LatencyMin), human(f.LatencyMax), formatFloat(f.LatencyProbability), formatFloat(f.ResetFraction),
		human(f.BlackholeFor), human(f.BlackholeEvery))
}

// human formats a duration without trailing zero units: 30m rather than 30m0s.
func human(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func orNone[T any](values []T) string {
	if len(values) == 0 {
		return "none"
	}
	return list(values)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
