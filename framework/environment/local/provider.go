package local

import (
	"context"
	"io"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment"
)

// Provider builds the gateway once and gives every Ginkgo process its own gateway, upstream
// and receiver: local processes are cheap, and nothing is shared between parallel specs.
type Provider struct {
	Config *config.Config
	Log    io.Writer
	// Progress gets a line per slow step (building the gateway), with its elapsed time, for a
	// person or a CI log watching the run; nil for none.
	Progress io.Writer
}

var _ environment.Provider = Provider{}

// Provision implements environment.Provider: it runs the profile's build command.
func (p Provider) Provision(ctx context.Context) ([]byte, error) {
	progress := p.Progress
	if progress == nil {
		progress = io.Discard
	}
	if err := Check(p.Config); err != nil {
		return nil, err
	}
	return nil, Build(ctx, p.Config, progress)
}

// Connect implements environment.Provider: it starts this process's environment.
func (p Provider) Connect(ctx context.Context, _ []byte) (environment.Environment, error) {
	return Start(ctx, p.Config, p.Log)
}

// Teardown implements environment.Provider; each process stops its own environment.
func (p Provider) Teardown(context.Context) error { return nil }
