package config

import (
	"slices"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
)

// checkCollector validates environments.<name>.collector.
func (r *resolver) checkCollector(base string, e spec.Environment) {
	c := e.Collector
	if c == nil {
		return
	}
	base += ".collector"
	if e.Type != "local" {
		r.Field(base, "only an environment of type local runs a collector; this one is %q", e.Type)
	}
	if len(c.Command) == 0 || slices.Contains(c.Command, "") {
		r.Field(base+".command", "required: the collector's argv, such as [bin/otelcol, --config, \"{{.ConfigFile}}\"]")
	}
	for _, a := range c.Command {
		r.checkTemplate(base+".command", a)
	}
	r.checkTemplateFile(base+".configTemplate", c.ConfigTemplate)
	if c.ConfigName == "" {
		r.Field(base+".configName", "required: the file name the rendered template is written to, such as otelcol.yaml")
	}
}
