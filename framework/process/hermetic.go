package process

import (
	"slices"
	"strings"
)

// InheritedVariables are the only variables of the suite's own environment a gateway or
// collector process gets; everything else it runs with is set by the suite and the profile.
// An OTEL_EXPORTER_OTLP_TRACES_ENDPOINT in the caller's shell would otherwise send the
// gateway's spans elsewhere, and every spec would fail with "no span".
var InheritedVariables = []string{"PATH", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME", "SSL_CERT_FILE", "SSL_CERT_DIR"}

// Hermetic splits environ into the InheritedVariables and the names of the OTEL_* variables
// it drops: what a gateway process started by the suite may see of the suite's environment.
func Hermetic(environ []string) (kept, droppedOTel []string) {
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case slices.Contains(InheritedVariables, name):
			kept = append(kept, kv)
		case strings.HasPrefix(name, "OTEL_"):
			droppedOTel = append(droppedOTel, name)
		}
	}
	slices.Sort(droppedOTel)
	return kept, droppedOTel
}
