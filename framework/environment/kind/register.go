package kind

import (
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
)

func init() { cluster.Register(kindconfig.Name, New) }
