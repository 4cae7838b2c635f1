// Package tracing_test is the tracing conformance suite: it wires the tracing feature specs to
// the environment named by E2E_ENV (default: local).
package tracing_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/harness"
)

func TestTracing(t *testing.T) {
	var err error
	if skip, err = tracing.SkipFromEnv(); err != nil {
		t.Fatal(err)
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "Tracing conformance")
}

// skip are the IDs E2E_SKIP names.
var skip []string

var h = harness.Setup(tracing.Catalog())

func input() tracing.Input {
	return tracing.Input{
		Gateway:     h.Gateway,
		Spans:       h.Env.Spans(),
		Config:      h.Config,
		Variant:     h.Variant,
		Diagnostics: h.Diagnostics,
		Skip:        skip,
	}
}

// Every feature registered in features/tracing, each in its own labelled Describe.
var _ = tracing.DescribeAll(input)
