package tracing

import (
	"slices"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

func TestUndeclaredNamesWhatTheFailureDoesNotShow(t *testing.T) {
	d := config.Deviation{Seen: []string{"got with status UNSET", "egress\" status=UNSET"}}
	declared := "Expected a span of kind CLIENT, with status ERROR\nClosest span: SERVER \"h\" status=ERROR\n  expected with status ERROR,\n   got with status UNSET\n" +
		"  - CLIENT \"router refused egress\" status=UNSET span=1"
	if m := undeclared(d, declared); len(m) != 0 {
		t.Errorf("a failure as declared (line breaks and colour aside) shows %v as missing", m)
	}
	other := "\x1b[1mNEVER ARRIVED\x1b[0m: no span for trace 5f1c within the wait span"
	if m := undeclared(d, other); !slices.Equal(m, d.Seen) {
		t.Errorf("a failure of another kind: missing %v, want %v", m, d.Seen)
	}
	if m := undeclared(d, "got with status UNSET"); !slices.Equal(m, d.Seen[1:]) {
		t.Errorf("every piece must be shown: missing %v", m)
	}
}
