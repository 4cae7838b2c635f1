package profile

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a duration written as a Go duration ("500ms", "5s", "2m"), not negative.
type Duration struct{ time.Duration }

// DurationForm is appended to every bad-duration error.
const DurationForm = "use a Go duration such as 500ms, 5s or 2m"

// UnmarshalYAML accepts a Go duration that is not negative.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("must be a duration, not %s; %s", kind(n), DurationForm)
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("%q is not a duration; %s", n.Value, DurationForm)
	}
	if v < 0 {
		return fmt.Errorf("%q is negative; %s", n.Value, DurationForm)
	}
	d.Duration = v
	return nil
}

// MarshalYAML writes the duration as Go writes it.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

// Raw is a value kept as written, for another package to decode: an environment type's own key
// of a cluster profile (ClusterProfile.Types).
type Raw struct {
	Node *yaml.Node // nil when the key is not in the file
}

// Null reports whether the file has no value here: no key, or a key without a value.
func (r Raw) Null() bool {
	return r.Node == nil || (r.Node.Kind == yaml.ScalarNode && r.Node.ShortTag() == "!!null")
}
