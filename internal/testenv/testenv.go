// Package testenv skips a test this machine cannot run as make test skips an environment: with
// why, listed at the end of make test, and under CI=true a failure instead.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"testing"
)

// ListVariable names the file make test lists its skips in (the Makefile's SKIPPED); a skip is
// added to it when set.
const ListVariable = "TRACEGATE_SKIPPED"

// RunVariable is a value make gives each run afresh: a test that skips reads it, so go test's
// cache keeps no skip from an earlier run, which would never reach this run's list.
const RunVariable = "TRACEGATE_RUN"

// Skip skips t, saying why, and adds it to make test's list of skips; under CI=true, where
// nothing may be skipped, it fails t instead.
func Skip(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("cannot run here: %s; CI=true, so this is a failure, not a skip", why)
	}
	_ = os.Getenv(RunVariable) // ties the cached result to this run
	if list := os.Getenv(ListVariable); list != "" {
		if err := appendLine(list, fmt.Sprintf("go test %s: %s", t.Name(), why)); err != nil {
			t.Errorf("listing the skip in %s (%s): %v", list, ListVariable, err)
		}
	}
	t.Skip(why)
}

// appendLine adds line to the file at path, creating it.
func appendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(line + "\n")
	return errors.Join(err, f.Close())
}
