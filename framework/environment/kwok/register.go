package kwok

import (
	"io"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwoktype"
)

func init() {
	environment.Register(environment.Type{Name: kwoktype.Name, Cluster: true,
		New: func(cfg *config.Config, log, progress io.Writer) environment.Provider {
			p := New(cfg, log)
			p.Progress = progress
			return p
		}})
}
