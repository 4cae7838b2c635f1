package local

import (
	"io"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment"
)

func init() {
	environment.Register(environment.Type{Name: config.TypeLocal,
		New: func(cfg *config.Config, log, progress io.Writer) environment.Provider {
			return Provider{Config: cfg, Log: log, Progress: progress}
		}})
}
