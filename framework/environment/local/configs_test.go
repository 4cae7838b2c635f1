package local

// The built-in cluster environment types register their names and waits with the config, as in
// every binary that loads ginkgo.yaml.
import _ "github.com/tracegate/tracegate/framework/environment/configs"
