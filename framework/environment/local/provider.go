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
}

var _ environment.Provider = Provider{}

// Provision implements environment.Provider: it runs the profile's build command.
func (p Provider) Provision(ctx context.Context) ([]byte, error) {
	return nil, Build(ctx, p.Config, p.Log)
}

// Connect implements environment.Provider: it starts this process's environment.
func (p Provider) Connect(ctx context.Context, _ []byte) (environment.Environment, error) {
	return Start(ctx, p.Config, p.Log)
}

// Teardown implements environment.Provider; each process stops its own environment.
func (p Provider) Teardown(context.Context) error { return nil }
