package spec

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// TestPaths pins how field paths render in errors: map keys quoted only when they would make
// the path ambiguous or span lines, list elements as [i], the whole file as "".
func TestPaths(t *testing.T) {
	waits := field.NewPath("waits")
	for _, tt := range []struct {
		path *field.Path
		want string
	}{
		{Child(nil, "environment"), "environment"},
		{Child(field.NewPath("environments"), "local").Child("type"), "environments.local.type"},
		{Child(field.NewPath("implementations"), "caddy").Child("features").Index(1), "implementations.caddy.features[1]"},
		{Child(Child(waits, "default"), "my wait").Child("timeout"), `waits.default."my wait".timeout`},
		{Child(waits, ""), `waits.""`},
		{Child(waits, "a.b"), `waits."a.b"`},
		{Child(waits, "a[0]"), `waits."a[0]"`},
		{Child(waits, `a"b`), `waits."a\"b"`},
		{Child(waits, "a\tb"), `waits."a\tb"`},
		{Child(waits, "sampling-zero"), "waits.sampling-zero"},
		{Child(waits, "é"), "waits.é"},
		{Child(waits, "1.34"), `waits."1.34"`},
		{Child(field.NewPath("helm").Index(0), "args").Index(2), "helm[0].args[2]"},
		{nil, ""},
	} {
		if got := render(tt.path); got != tt.want {
			t.Errorf("got %s, want %s", got, tt.want)
		}
	}
}
