package config

// TestFeatures are the feature names the tests load configs with, in the order error messages
// list them.
var TestFeatures = []string{
	"SpanName",
	"Propagation",
	"ErrorStatus",
	"RequestAttributes",
	"UpstreamSpan",
	"CustomAttributes",
	"ResourceAttributes",
	"Sampling",
}
