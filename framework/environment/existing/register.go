package existing

import (
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/existing/existingconfig"
)

func init() { cluster.Register(existingconfig.Name, New) }
