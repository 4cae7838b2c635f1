package local

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
)

// Check renders the gateway's command, environment and config template with placeholder
// addresses, for the main gateway and each variant, so that a template error stops the run
// before any build starts; then it checks the main gateway's against the fixture contract
// (contract.Check), and that each variant renders something of its own.
func Check(cfg *config.Config) error {
	profile := cfg.Implementation.Local
	if profile == nil {
		return nil
	}
	dir, err := os.MkdirTemp("", "tracegate-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	e := &Environment{cfg: cfg, workDir: dir, log: io.Discard}
	data := placeholders(cfg, dir)
	want := contractProfile(cfg)
	var main string
	for _, variant := range append([]string{""}, slices.Sorted(maps.Keys(profile.Variants))...) {
		if profile.Variants[variant].Unavailable != "" {
			continue // never started, so nothing to render
		}
		data.Variant = variant
		argv, env, err := e.render(profile, data, profile.Variants[variant].Env)
		if err != nil {
			return fmt.Errorf("checking the %s gateway's templates before building it: %w", cfg.Implementation.Name+variantSuffix(variant), err)
		}
		// What tells the gateway how to behave: its config file, its command line, its environment.
		rendered := contract.Rendered{Config: strings.Join(argv, " "), Fields: map[string]string{
			"UpstreamAddr": data.UpstreamAddr, "UpstreamPort": strconv.Itoa(data.UpstreamPort),
			"RefusedAddr": data.RefusedAddr, "RefusedPort": strconv.Itoa(data.RefusedPort)}}
		if profile.ConfigTemplate != "" {
			text, err := os.ReadFile(data.ConfigFile)
			if err != nil {
				return err
			}
			rendered.Config = string(text) + "\n" + rendered.Config
		}
		whole := rendered.Config + "\n" + strings.Join(env, "\n")
		switch {
		case variant == "":
			main = whole
			if err := contract.Check(want, rendered); err != nil {
				return err
			}
		case whole == main:
			return contract.SameAsMain(want, variant)
		}
	}
	return nil
}

// placeholders is template data with a port no other field renders for each address, so that
// the contract check can tell which upstream a rendered config uses.
func placeholders(cfg *config.Config, dir string) TemplateData {
	const base = 41000 // GatewayPort 41001, AdminPort 41002, ...
	addr := func(port int) string { return "127.0.0.1:" + strconv.Itoa(base+port) }
	return TemplateData{
		GatewayAddr:        addr(1),
		GatewayPort:        base + 1,
		AdminPort:          base + 2,
		UpstreamAddr:       addr(3),
		UpstreamPort:       base + 3,
		OTLPEndpoint:       "http://" + addr(4),
		OTLPHTTPEndpoint:   "http://" + addr(4),
		OTLPHTTPPort:       base + 4,
		OTLPGRPCEndpoint:   addr(5),
		OTLPGRPCPort:       base + 5,
		RefusedAddr:        addr(6),
		RefusedPort:        base + 6,
		ReadyToken:         "check",
		OTLPProtocol:       cfg.Environment.OTLPProtocol,
		ExportDelayMillis:  cfg.Environment.ExportDelay.Milliseconds(),
		Implementation:     cfg.Implementation.Name,
		ServiceName:        cfg.Implementation.ServiceName,
		ResourceAttributes: cfg.Implementation.ResourceAttributes,
		ConfigFile:         filepath.Join(dir, cfg.Implementation.Local.ConfigName),
		WorkDir:            dir,
		Dir:                cfg.Implementation.Dir,
	}
}

// contractProfile is what the contract check needs of the run's implementation.
func contractProfile(cfg *config.Config) contract.Profile {
	impl := cfg.Implementation
	where := fmt.Sprintf("%s: implementations.%s.local.command", cfg.ImplementationFile(), impl.Name)
	template := "the command"
	if impl.Local.ConfigTemplate != "" {
		where = fmt.Sprintf("%s: implementations.%s.local.configTemplate", cfg.ImplementationFile(), impl.Name)
		template = impl.Local.ConfigTemplate
	}
	return contract.Profile{Template: template, Where: where, Features: impl.Features,
		Decorated: impl.SpanNames.Decorated, Variants: slices.Sorted(maps.Keys(impl.Local.Variants))}
}
