// Package conformance runs tracegate's tracing conformance suite from an implementation's own go test.
package conformance

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/gomega"
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate"
	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
	_ "github.com/tracegate/tracegate/framework/environment/configs" // every type's config side
	_ "github.com/tracegate/tracegate/framework/environment/local"   // the gateway as a child process
	"github.com/tracegate/tracegate/framework/harness"
	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/framework/report"
)

// Report is the conformance report a run writes (conformance.yaml): its schema, with yaml and
// json tags, is package report/v1alpha5.
type Report = report.Conformance

// JUnitName is the JUnit report Run writes beside conformance.yaml.
const JUnitName = "junit.xml"

// ran makes a second Run in one test binary fail: Ginkgo runs one suite a process.
var ran atomic.Bool

// Run runs the tracing suite's features (the specs tracegate's own make e2e runs) against the
// implementation the options' profile describes, with tracegate's run settings and fixtures
// embedded: no ginkgo.yaml of the caller's, nothing looked up from the working directory.
// It fails t if a spec fails or the suite cannot start, and returns the report it wrote (nil
// if none was, or on a Ginkgo parallel process other than the first). Call it once a test
// binary. DEBUG=1, E2E_TIMEOUT_SCALE and the suite's other variables apply as in the
// repository; the options win over them.
func Run(t *testing.T, opts ...Option) *Report {
	t.Helper()
	if !ran.CompareAndSwap(false, true) {
		t.Fatal("conformance.Run: called twice in one test binary; Ginkgo runs one suite a process, so give every option to one call")
	}
	if err := process.Supported(); err != nil {
		t.Fatal("conformance.Run: " + err.Error())
	}
	o, err := newOptions(opts)
	if err != nil {
		t.Fatal(err)
	}
	root, profiles, impl, err := o.prepare(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lookup := o.lookup(impl)
	load := func(features []string) (*config.Config, error) {
		return config.LoadRoot(config.Root{Dir: root, Profiles: profiles, RunDir: o.reportDir}, lookup, features)
	}
	gomega.RegisterFailHandler(ginkgo.Fail)
	h := harness.Setup(tracing.Catalog(), harness.LoadWith(load), harness.ReportWithoutConfigTo(o.reportDir))
	tracing.DescribeAll(func() tracing.Input {
		return tracing.Input{
			Gateway:     h.Gateway,
			Spans:       h.Env.Spans(),
			Config:      h.Config,
			Variant:     h.Variant,
			Diagnostics: h.Diagnostics,
			Skip:        o.skip,
		}
	})
	junit := filepath.Join(o.reportDir, JUnitName)
	ginkgo.ReportAfterSuite("junit report", func(r ginkgo.Report) {
		if err := reporters.GenerateJUnitReport(r, junit); err != nil {
			ginkgo.Fail(fmt.Sprintf("writing %s: %v", junit, err))
		}
	})
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	if o.labelFilter != "" {
		suiteConfig.LabelFilter = o.labelFilter
	}
	ginkgo.RunSpecs(t, "Tracing conformance", suiteConfig, reporterConfig)
	return readReport(filepath.Join(o.reportDir, report.YAMLName))
}

// prepare writes the embedded files into dir/root and returns the root, the profile files to
// add and the implementation they name ("" for the embedded environment's own).
func (o *options) prepare(dir string) (root string, profiles []config.ProfileFile, impl string, err error) {
	root = filepath.Join(dir, "root")
	if err := extract(tracegate.Files, root); err != nil {
		return "", nil, "", err
	}
	if err := linkTools(o.toolsDir, root); err != nil {
		return "", nil, "", err
	}
	wd, _ := os.Getwd()
	file := config.ProfileFile{Path: o.profileFile}
	switch {
	case o.profileSet && o.profileFile != "":
		return "", nil, "", fmt.Errorf("conformance: WithProfile and WithProfileFile(%q) both given; give one", o.profileFile)
	case o.profileSet:
		text, err := yaml.Marshal(o.profile)
		if err != nil {
			return "", nil, "", fmt.Errorf("conformance: WithProfile: the value does not marshal to YAML: %w", err)
		}
		file = config.ProfileFile{Path: filepath.Join(dir, "profile.yaml"), Dir: wd}
		if err := os.WriteFile(file.Path, text, 0o644); err != nil {
			return "", nil, "", err
		}
		if impl, err = config.ProfileName(file.Path); err != nil {
			return "", nil, "", fmt.Errorf("conformance: WithProfile: %w (the value as YAML:\n%s)", err, text)
		}
		return root, []config.ProfileFile{file}, impl, nil
	case o.profileFile == "":
		return root, nil, "", nil
	}
	if impl, err = config.ProfileName(o.profileFile); err != nil {
		return "", nil, "", fmt.Errorf("conformance: WithProfileFile(%q), relative to the working directory %s: %w", o.profileFile, wd, err)
	}
	return root, []config.ProfileFile{file}, impl, nil
}

// lookup is the environment the config sees: the options, then the process's variables.
func (o *options) lookup(impl string) config.Env {
	set := map[string]string{"E2E_REPORT_DIR": o.reportDir}
	maps.Copy(set, o.set)
	if o.environment != "" {
		set["E2E_ENV"] = o.environment
	}
	if impl != "" {
		set["E2E_IMPLEMENTATION"] = impl
	}
	return func(name string) (string, bool) {
		if v, ok := set[name]; ok {
			return v, true
		}
		return os.LookupEnv(name)
	}
}

// extract writes fsys into dir; scripts (*.sh) become executable, as embed.FS keeps no modes.
func extract(fsys fs.FS, dir string) error {
	if err := os.CopyFS(dir, fsys); err != nil {
		return fmt.Errorf("conformance: writing tracegate's embedded files into %s: %w", dir, err)
	}
	scripts, _ := fs.Glob(fsys, "scripts/*.sh")
	for _, s := range scripts {
		if err := os.Chmod(filepath.Join(dir, s), 0o755); err != nil {
			return fmt.Errorf("conformance: %w", err)
		}
	}
	return nil
}

// linkTools makes a tracegate checkout's tools (WithToolsDir) the extracted root's: its bin/, its
// tool modules under tools/ (which no module can embed) and scripts/build-tools.sh, as symbolic
// links, so that a tool built once serves every run. Nothing without a checkout.
func linkTools(checkout, root string) error {
	if checkout == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(checkout, "bin"), 0o755); err != nil {
		return fmt.Errorf("conformance: WithToolsDir: %w", err)
	}
	links := []string{"bin", filepath.Join("scripts", "build-tools.sh")}
	modules, _ := filepath.Glob(filepath.Join(checkout, "tools", "*", "go.mod"))
	for _, m := range modules {
		links = append(links, filepath.Join("tools", filepath.Base(filepath.Dir(m))))
	}
	for _, l := range links {
		if _, err := os.Lstat(filepath.Join(root, l)); err == nil {
			continue // embedded, such as tools/envoy's requirements
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, l)), 0o755); err != nil {
			return err
		}
		if err := os.Symlink(filepath.Join(checkout, l), filepath.Join(root, l)); err != nil {
			return fmt.Errorf("conformance: WithToolsDir: %w", err)
		}
	}
	return nil
}

// readReport reads the conformance report a run wrote; nil if there is none.
func readReport(path string) *Report {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var c Report
	if yaml.Unmarshal(data, &c) != nil {
		return nil
	}
	return &c
}
