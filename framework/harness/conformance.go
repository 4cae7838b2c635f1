package harness

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/spans"
)

// writeConformanceReport runs once, on process 1, with every process's results, on every exit
// path: a config error, a failed setup, an interrupt or timeout, failed specs, or a pass.
func (h *Harness) writeConformanceReport(r Report) {
	run := report.Run{Now: time.Now(), Implementation: report.Implementation{Observed: h.observed}}
	var dir string
	if cfg := h.Config; cfg != nil {
		impl, p := cfg.Implementation, cfg.Implementation.Project
		run.Implementation.Name, run.Implementation.Version, run.Claimed = impl.Name, impl.Version, impl.Features
		run.Implementation.Organization, run.Implementation.Project = p.Organization, p.Project
		run.Implementation.URL, run.Implementation.Contact = p.URL, p.Contact
		run.Environment, dir = cfg.Environment.Name, cfg.ReportDir
	} else {
		run.ConfigError, run.Environment = h.loadErr, os.Getenv("E2E_ENV")
		dir = cmp.Or(h.reportDir, reportDirWithoutConfig())
	}
	c := report.Build(r, h.features, run)
	err := report.WriteAll(c, dir)
	if err != nil { // the table says so too, as the YAML does when only the Markdown failed
		c = report.NotWritten(c, fmt.Sprintf("writing the conformance report into %s: %v", dir, err))
	}
	report.PrintTable(c, os.Stdout)
	if err != nil {
		Fail(fmt.Sprintf("writing the conformance report into %s: %v", dir, err))
	}
	fmt.Fprintf(os.Stdout, "conformance report: %s and %s\n", filepath.Join(dir, report.YAMLName), filepath.Join(dir, report.MarkdownName))
}

// removeStaleReport deletes an earlier run's report, so that a run killed before it writes
// its own never leaves the old one looking current.
func removeStaleReport(dir string) {
	for _, name := range []string{report.YAMLName, report.MarkdownName} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(GinkgoWriter, "removing the previous report: %v\n", err)
		}
	}
}

// reportDirWithoutConfig is where the report of a run whose config did not load goes:
// E2E_REPORT_DIR, or reports/ beside the nearest ginkgo.yaml.
func reportDirWithoutConfig() string {
	if dir := os.Getenv("E2E_REPORT_DIR"); dir != "" {
		return dir
	}
	wd, _ := os.Getwd()
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, config.FileName)); err == nil {
			return filepath.Join(dir, "reports")
		}
		if filepath.Dir(dir) == dir {
			return filepath.Join(wd, "reports")
		}
	}
}

// observedVersion is what the gateway says of itself in its spans: the instrumentation scope
// and the SDK, from the first span of the profile's service (or of any service).
func observedVersion(all spans.List, service string) string {
	for _, wantService := range []bool{true, false} {
		for _, s := range all {
			if wantService && s.Resource["service.name"] != service {
				continue
			}
			observed := strings.TrimSpace("scope " + s.Scope + " " + s.ScopeVersion)
			sdk, _ := s.Resource["telemetry.sdk.name"].(string)
			sdkVersion, _ := s.Resource["telemetry.sdk.version"].(string)
			if sdk != "" || sdkVersion != "" {
				observed += strings.TrimRight(", sdk "+sdk+" "+sdkVersion, " ")
			}
			return observed
		}
	}
	return ""
}
