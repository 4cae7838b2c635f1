// Package configtest loads the repository's own ginkgo.yaml for tests of the framework.
package configtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
	_ "github.com/tracegate/tracegate/framework/environment/configs" // the cluster types of ginkgo.yaml
)

// Repo loads the repository's ginkgo.yaml, found from the test's directory upwards, with the
// registered features and env as the environment variables (E2E_ENV, E2E_IMPLEMENTATION, ...).
func Repo(t testing.TB, env map[string]string) *config.Config {
	t.Helper()
	c, err := Load(t, env)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Load is Repo for tests that look at the error.
func Load(t testing.TB, env map[string]string) (*config.Config, error) {
	t.Helper()
	return config.LoadFile(repoFile(t), func(k string) (string, bool) { v, ok := env[k]; return v, ok }, tracing.Names())
}

func repoFile(t testing.TB) string {
	t.Helper()
	return filepath.Join(Root(t), config.FileName)
}

// Root is the repository's root: the nearest directory holding go.mod above the test's own.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the test's directory")
		}
	}
}
