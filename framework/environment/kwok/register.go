package kwok

import (
	"io"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment"
)

func init() {
	environment.Register(environment.Type{Name: config.TypeKwok, Cluster: true,
		New: func(cfg *config.Config, log, progress io.Writer) environment.Provider {
			p := New(cfg, log)
			p.Progress = progress
			return p
		}})
}
