package kwok

import (
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
)

func init() { cluster.Register(kwokconfig.Name, New) }
