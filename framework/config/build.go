package config

import (
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"time"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// build fills in c for its environment from a file without errors.
func (r *resolver) build(c *Config) {
	env, f := r.file.Environments[c.Environment.Name], &r.file
	c.Environment.Type, c.Environment.ExportDelay, c.Environment.OTLPProtocol = env.Type, env.ExportDelay.Duration, env.OTLPProtocol
	c.Environment.SamplingTraces = env.SamplingTraces
	c.Environment.Faults = r.faultProfile(env.Faults)
	c.Environment.Collector = r.collector(c.Dir, env.Collector)

	impl := f.Implementations[c.Environment.Implementation]
	c.Implementation = Implementation{
		Name: c.Environment.Implementation, Version: impl.Version, Features: slices.Clone(impl.Features),
		ServiceName: impl.ServiceName, ResourceAttributes: maps.Clone(impl.ResourceAttributes),
		Project: Project{
			Organization: impl.Project.Organization,
			Project:      impl.Project.Project,
			URL:          impl.Project.URL,
			Contact:      slices.Clone(impl.Project.Contact),
		},
		Dir: r.implDir(c.Environment.Implementation), File: r.implFile(c.Environment.Implementation),
	}
	for _, pr := range r.profiles {
		c.Profiles = append(c.Profiles, pr.file)
		if pr.replaced != "" {
			c.overrides = append(c.overrides, fmt.Sprintf("profile %s replaces implementations.%s of %s", pr.file, pr.name, pr.replaced))
		}
	}
	c.Implementation.Deviations = r.deviations(c.Environment.Implementation, impl)
	if l := impl.Local; l != nil {
		c.Implementation.Local = &LocalProfile{
			Build: slices.Clone(l.Build), Command: slices.Clone(l.Command), ConfigName: l.ConfigName,
			Env: maps.Clone(l.Env), ReadyPath: l.ReadyPath, H2C: l.H2C,
		}
		if len(l.Variants) > 0 {
			c.Implementation.Local.Variants = map[string]Variant{}
			for name, v := range l.Variants {
				c.Implementation.Local.Variants[name] = Variant{Env: maps.Clone(v.Env), Unavailable: v.Unavailable}
			}
		}
		if l.ConfigTemplate != "" {
			c.Implementation.Local.ConfigTemplate = r.path(c.Implementation.Dir, l.ConfigTemplate)
		}
	}
	r.buildCluster(c, env, impl)

	c.waits = map[WaitName]Wait{}
	waits := field.NewPath("waits")
	for name, w := range r.waits(c.Environment.Name) {
		source := "the built-in default"
		for _, env := range []string{c.Environment.Name, "default"} {
			if path := spec.Child(spec.Child(waits, env), name); r.Set(path.Child("timeout")) {
				source = path.String()
				break
			}
		}
		timeout := spec.Child(waits, name).Child("timeout").String() // waits.<name>.timeout, for the scale's error
		c.waits[WaitName(name)] = Wait{
			Name: WaitName(name), Timeout: r.scale(c, timeout, w.Timeout.Duration),
			Polling: w.Polling.Duration, Source: source, Scale: c.TimeoutScale,
		}
	}
	p := r.request(c.Environment.Name)
	c.Request = RequestPolicy{
		AttemptTimeout: r.scale(c, field.NewPath("request", "attemptTimeout").String(), p.AttemptTimeout.Duration),
		Retries:        p.Retries, Backoff: p.Backoff.Duration, MaxBackoff: p.MaxBackoff.Duration,
		RetryStatuses: slices.Clone(p.RetryStatuses), ConsecutiveSuccesses: p.ConsecutiveSuccesses,
	}
	c.Absence = Absence{MarkerFactor: f.Absence.MarkerFactor, ExportDelayFactor: f.Absence.ExportDelayFactor}
	c.Debug.PauseTimeout = f.Debug.PauseTimeout.Duration
	// Where the run writes is the run's, never the config file's directory (an implementer's
	// E2E_CONFIG may be anywhere).
	c.Debug.ArtifactsDir = absolute(r.runDir, f.Debug.ArtifactsDir)
	c.ReportDir = absolute(r.runDir, f.ReportDir)
	if v, ok := get(r.lookup, "E2E_REPORT_DIR"); ok { // make e2e REPORTS=dir sets it
		wd, _ := os.Getwd()
		c.ReportDir = absolute(wd, v)
		c.overrides = append(c.overrides, "E2E_REPORT_DIR="+v)
	}
}

// buildCluster fills in the cluster profile and the cluster settings of c, the type's own
// built by its section, and applies E2E_KEEP.
func (r *resolver) buildCluster(c *Config, env spec.Environment, impl spec.Implementation) {
	sn := impl.SpanNames
	c.Implementation.SpanNames = SpanNames{Default: sn.Default, Decorated: sn.Decorated}
	c.Implementation.AttributeNaming = impl.AttributeNaming
	if p := impl.Cluster; p != nil {
		cp := &ClusterProfile{
			GatewayClass: p.GatewayClass, Controller: Workload(p.Controller), Gateway: p.Gateway,
			Proxy: Proxy(p.Proxy), PolicyKinds: slices.Clone(p.PolicyKinds), Variants: maps.Clone(p.Variants),
			Kubernetes:      SupportWindow{Versions: slices.Clone(p.KubernetesVersions), Source: p.KubernetesVersionsSource},
			ExportDelay:     p.ExportDelay.Duration,
			StatusUnwritten: slices.Clone(p.StatusUnwritten),
		}
		if p.GatewayAPI != "" {
			cp.GatewayAPI = r.path(c.Implementation.Dir, p.GatewayAPI)
		}
		if p.Install != "" {
			cp.Install = r.path(c.Implementation.Dir, p.Install)
		}
		for _, h := range p.Helm {
			hr := HelmRelease{
				Release:      h.Release,
				Chart:        h.Chart,
				Version:      h.Version,
				Namespace:    h.Namespace,
				Args:         slices.Clone(h.Args),
				TemplateOnly: h.TemplateOnly,
			}
			if h.Values != "" {
				hr.Values = r.path(c.Implementation.Dir, h.Values)
			}
			cp.Helm = append(cp.Helm, hr)
		}
		for _, d := range p.Fixtures {
			cp.Fixtures = append(cp.Fixtures, r.path(c.Implementation.Dir, d))
		}
		c.Implementation.Cluster = cp
	}
	t, ok := clusterType(env.Type)
	if !ok {
		return
	}
	if p := c.Implementation.Cluster; p != nil && p.ExportDelay > c.Environment.ExportDelay {
		// The proxies flush later than the environment says: the real delay is what waits and
		// absence windows must cover.
		c.Environment.ExportDelay = p.ExportDelay
		c.Environment.ExportDelaySource = fmt.Sprintf("implementations.%s.cluster.exportDelay, above environments.%s.exportDelay %s",
			c.Implementation.Name, c.Environment.Name, human(env.ExportDelay.Duration))
	}
	if impl.Cluster == nil {
		// Only an E2E_IMPLEMENTATION override gets here: the file itself was checked.
		r.Plain(
			"E2E_IMPLEMENTATION: implementation %q has no cluster profile (implementations.%s.cluster in %s), which environment %q of type %s needs",
			c.Implementation.Name,
			c.Implementation.Name,
			r.abs,
			c.Environment.Name,
			env.Type,
		)
	}
	c.Cluster = genericCluster(env)
	r.clusterOverrides(c)
	if t.Section != nil {
		path := spec.Child(field.NewPath("environments"), c.Environment.Name)
		profile := spec.Child(field.NewPath("implementations"), c.Implementation.Name).Child("cluster").String() + "." + t.Section.profileKey()
		c.Cluster.Settings = t.Section.build(&Build{r: r, Config: c, Path: path}, r.sections[path.String()], r.profileSections[profile])
	}
	// The run's namespace, and the cluster when the run created it (a type's Build sets Keep
	// from its section).
	r.boolOverride(c, "E2E_KEEP", func(b bool) { c.Cluster.Keep = b })
}

// faultProfile resolves a profile by name; "" means none.
func (r *resolver) faultProfile(name string) *FaultProfile {
	fp, ok := r.file.Faults[name]
	if name == "" || !ok {
		return nil
	}
	path := func(f *spec.FaultPath) *FaultPath {
		if f == nil {
			return nil
		}
		return &FaultPath{
			LatencyProbability: f.LatencyProbability, LatencyMin: f.LatencyMin.Duration, LatencyMax: f.LatencyMax.Duration,
			ResetFraction: f.ResetFraction, BlackholeEvery: f.BlackholeEvery.Duration, BlackholeFor: f.BlackholeFor.Duration,
		}
	}
	return &FaultProfile{Name: name, Client: path(fp.Client), Export: path(fp.Export)}
}

// collector resolves environments.<name>.collector; nil means none.
func (r *resolver) collector(dir string, c *spec.Collector) *Collector {
	if c == nil {
		return nil
	}
	return &Collector{Build: slices.Clone(c.Build), Command: slices.Clone(c.Command),
		ConfigTemplate: absolute(dir, c.ConfigTemplate), ConfigName: c.ConfigName}
}

// scale multiplies d by the timeout scale, reporting a result that is zero or overflows.
func (r *resolver) scale(c *Config, what string, d time.Duration) time.Duration {
	x := float64(d) * c.TimeoutScale
	if x >= 1 && x < math.MaxInt64 {
		return time.Duration(x)
	}
	r.Plain("timeout scale %s makes %s (%s) %s in %s; use a smaller factor",
		formatFloat(c.TimeoutScale), what, human(d), map[bool]string{true: "overflow", false: "zero"}[x >= 1], r.abs)
	return d
}
