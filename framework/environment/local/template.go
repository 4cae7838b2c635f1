package local

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/internal/render"
)

// TemplateData is what a gateway's config template, command and environment can refer to,
// e.g. {{.UpstreamAddr}}. Every address is on 127.0.0.1.
type TemplateData struct {
	GatewayAddr        string // host:port the gateway must listen on
	GatewayPort        int
	AdminPort          int               // a second free port, for gateways with an admin listener
	UpstreamAddr       string            // host:port of the echo upstream
	UpstreamPort       int               // its port, for configs that want host and port apart
	RefusedAddr        string            // host:port where every connection is refused: an upstream that refuses
	RefusedPort        int               // its port
	OTLPEndpoint       string            // URL for OTEL_EXPORTER_OTLP_ENDPOINT in the configured protocol
	OTLPHTTPEndpoint   string            // http://host:port of the OTLP/HTTP receiver
	OTLPHTTPPort       int               // its port
	OTLPGRPCEndpoint   string            // host:port of the OTLP/gRPC receiver
	OTLPGRPCPort       int               // its port
	OTLPProtocol       string            // grpc, http/protobuf or http/json
	ExportDelayMillis  int64             // the environment's exportDelay
	Implementation     string            // the implementation's name, such as envoy-gateway
	ServiceName        string            // implementations.<name>.serviceName, for configs that set it themselves
	ResourceAttributes map[string]string // implementations.<name>.resourceAttributes, likewise
	// GatewayName and Namespace are the Gateway a local mirror of a cluster implementation
	// renders (cluster.gateway, or cluster.variants.<variant>) and config.MirrorNamespace: what
	// its names derive from there, such as Envoy Gateway's default service name. "" without a
	// cluster profile.
	GatewayName, Namespace string
	ReadyToken             string // unique to this start: a ready path answering it proves the answer is this gateway's
	Variant                string // "" for the main gateway, else the variant's name, such as sampling-zero
	ConfigFile             string // where the rendered config template is written
	WorkDir                string // a private directory for this gateway
	Dir                    string // the directory the profile's relative paths resolve against (ginkgo.yaml's, or an E2E_PROFILE file's)
}

// render writes the config file and returns the gateway's argv and environment.
func (e *Environment) render(p *config.LocalProfile, data TemplateData, variantEnv map[string]string) (argv, env []string, err error) {
	if p.ConfigTemplate != "" {
		text, err := os.ReadFile(p.ConfigTemplate)
		if err != nil {
			return nil, nil, err
		}
		out, err := expand(p.ConfigTemplate, string(text), data)
		if err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(data.ConfigFile, []byte(out), 0o644); err != nil {
			return nil, nil, err
		}
	}
	for i, a := range p.Command {
		s, err := expand(
			fmt.Sprintf("%s: implementations.%s.local.command[%d]", e.cfg.ImplementationFile(), e.cfg.Implementation.Name, i),
			a,
			data,
		)
		if err != nil {
			return nil, nil, err
		}
		argv = append(argv, s)
	}
	// A relative program is the profile's: its own directory's (checkProgram and the process's
	// working directory agree), which is ginkgo.yaml's only for the repository's profiles.
	if strings.Contains(argv[0], "/") && !strings.HasPrefix(argv[0], "/") {
		argv[0] = filepath.Join(e.cfg.Implementation.Dir, argv[0])
	}
	env = append(e.inherited(),
		// Gateways under test keep their state in the work dir, never in the user's home.
		"HOME="+e.workDir, "XDG_DATA_HOME="+e.workDir, "XDG_CONFIG_HOME="+e.workDir,
		"OTEL_EXPORTER_OTLP_ENDPOINT="+data.OTLPEndpoint,
		"OTEL_EXPORTER_OTLP_PROTOCOL="+data.OTLPProtocol,
		"OTEL_BSP_SCHEDULE_DELAY="+strconv.FormatInt(data.ExportDelayMillis, 10),
	)
	impl := e.cfg.Implementation
	if impl.ServiceName != "" {
		env = append(env, "OTEL_SERVICE_NAME="+impl.ServiceName)
	}
	if len(impl.ResourceAttributes) > 0 {
		var pairs []string
		for _, k := range slices.Sorted(maps.Keys(impl.ResourceAttributes)) {
			pairs = append(pairs, k+"="+impl.ResourceAttributes[k])
		}
		env = append(env, "OTEL_RESOURCE_ATTRIBUTES="+strings.Join(pairs, ","))
	}
	// Later entries win: the profile's env over the defaults above, a variant's over the profile's.
	layers := []struct {
		field string
		vars  map[string]string
	}{{"env", p.Env}, {"variants.env", variantEnv}}
	for _, layer := range layers {
		for _, k := range slices.Sorted(maps.Keys(layer.vars)) {
			v, err := expand(
				fmt.Sprintf("%s: implementations.%s.local.%s.%s", e.cfg.ImplementationFile(), impl.Name, layer.field, k),
				layer.vars[k],
				data,
			)
			if err != nil {
				return nil, nil, err
			}
			env = append(env, k+"="+v)
		}
	}
	return argv, env, nil
}

// inherited returns the allowed part of the suite's environment, and logs once which
// OpenTelemetry variables it left out.
func (e *Environment) inherited() []string {
	kept, dropped := process.Hermetic(os.Environ())
	if len(dropped) > 0 {
		e.droppedOnce.Do(func() {
			fmt.Fprintf(e.log, "not passed to the gateway from this environment: %s (only %s are, besides what the suite and the profile set)\n",
				strings.Join(dropped, ", "), strings.Join(process.InheritedVariables, ", "))
		})
	}
	return kept
}

func expand(name, text string, data any) (string, error) {
	out, err := render.String(name, text, data)
	if err != nil {
		return "", fmt.Errorf("template %s: %w", name, err)
	}
	return out, nil
}
