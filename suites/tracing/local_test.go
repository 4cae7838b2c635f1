package tracing_test

// The local environment types (local: the gateway as a child process), in every build.
import _ "github.com/tracegate/tracegate/framework/environment/local"
