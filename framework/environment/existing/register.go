package existing

import (
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/existing/existingtype"
)

func init() { cluster.Register(existingtype.Name, New) }
