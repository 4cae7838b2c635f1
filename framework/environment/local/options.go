package local

// Option changes how Start sets the environment up.
type Option func(*Environment)

// ExportTo makes the gateways export OTLP to these host:port addresses (OTLP/HTTP, OTLP/gRPC)
// instead of to the suite's receiver: for a benchmark that puts another consumer, such as a
// collector, where the receiver would be. The receiver still runs and gets nothing.
func ExportTo(httpAddr, grpcAddr string) Option {
	return func(e *Environment) { e.otlpHTTP, e.otlpGRPC = httpAddr, grpcAddr }
}
