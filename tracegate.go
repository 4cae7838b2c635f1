// Package tracegate is the suite's own data, embedded for the public door (package conformance)
// from where it lives in the repository: one copy, nothing generated.
package tracegate

import "embed"

// Files holds, at their repository paths, ginkgo.yaml (the run settings: environments, waits,
// request policy, deviation sets), the built-in profiles, every fixture they and ginkgo.yaml
// name, and the pinned Envoy's installer with its requirements. embed.FS keeps no file modes:
// whoever writes the files out makes scripts/*.sh executable. Directories holding a go.mod of
// their own (tools/caddy, tools/otelcol) cannot be embedded: what builds from them (Caddy, the
// Collector) runs only in the repository.
//
//go:embed ginkgo.yaml profiles/*.yaml
//go:embed fixtures/local fixtures/cluster fixtures/gateway-api fixtures/envoy-gateway fixtures/kgateway fixtures/contour
//go:embed fixtures/kind fixtures/kind-here fixtures/kwok
//go:embed scripts/install-envoy.sh tools/envoy/*.txt
var Files embed.FS
