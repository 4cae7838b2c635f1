package spec

import (
	"strconv"
	"strings"
	"unicode"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Child returns the path of key in the mapping at p (nil: the top level of the file). Use it for
// a map key, and p.Child for a field name, which never needs quoting. field.Path writes a child
// as it is given, so Child quotes a key that would make the path ambiguous or span lines, as
// errors have always shown it: waits.default."my wait".timeout.
func Child(p *field.Path, key string) *field.Path {
	if key == "" || strings.ContainsFunc(key, func(r rune) bool {
		return r == '.' || r == '[' || r == '"' || !unicode.IsGraphic(r) || unicode.IsSpace(r)
	}) {
		key = strconv.Quote(key)
	}
	return p.Child(key) // a nil p makes key the root
}

// render is path as errors show it; "" for the whole file, where field.Path would say "<nil>".
func render(p *field.Path) string {
	if p == nil {
		return ""
	}
	return p.String()
}
