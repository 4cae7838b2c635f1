package harness

import (
	"os"

	"github.com/tracegate/tracegate/framework/config"
)

// Option changes where Setup gets its config and where a run without one reports.
type Option func(*Harness)

// Loader loads the run's config, given the names of the features the suite registers.
type Loader func(features []string) (*config.Config, error)

// LoadWith loads the config with load instead of config.Load (ginkgo.yaml from the working
// directory upwards, or E2E_CONFIG): the public door loads its embedded one.
func LoadWith(load Loader) Option {
	return func(h *Harness) { h.load = load }
}

// ReportWithoutConfigTo is where the report of a run whose config did not load goes, instead of
// E2E_REPORT_DIR or reports/ beside the nearest ginkgo.yaml.
func ReportWithoutConfigTo(dir string) Option {
	return func(h *Harness) { h.reportDir = dir }
}

// loadFromEnvironment is the default Loader: config.Load with the process's environment.
func loadFromEnvironment(features []string) (*config.Config, error) {
	return config.Load(os.LookupEnv, features)
}
