package config

import (
	"slices"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// checkCollector validates environments.<name>.collector.
func (r *resolver) checkCollector(base *field.Path, e spec.Environment) {
	c := e.Collector
	if c == nil {
		return
	}
	base = base.Child("collector")
	if e.Type != "local" {
		r.Field(base, "only an environment of type local runs a collector; this one is %q", e.Type)
	}
	if len(c.Command) == 0 || slices.Contains(c.Command, "") {
		r.Field(base.Child("command"), "required: the collector's argv, such as [bin/otelcol, --config, \"{{.ConfigFile}}\"]")
	}
	for _, a := range c.Command {
		r.checkTemplate(base.Child("command"), a)
	}
	r.checkTemplateFile(base.Child("configTemplate"), c.ConfigTemplate)
	if c.ConfigName == "" {
		r.Field(base.Child("configName"), "required: the file name the rendered template is written to, such as otelcol.yaml")
	}
}
