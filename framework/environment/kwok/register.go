package kwok

import (
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwoktype"
)

func init() { cluster.Register(kwoktype.Name, New) }
