package tracing_test

// The config side of every built-in environment type, and the local type's provider (the
// gateway as a child process), in every build.
import (
	_ "github.com/tracegate/tracegate/framework/environment/configs"
	_ "github.com/tracegate/tracegate/framework/environment/local"
)
