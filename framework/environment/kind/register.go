package kind

import (
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kind/kindtype"
)

func init() { cluster.Register(kindtype.Name, New) }
