package spec

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a duration in ginkgo.yaml, written as a Go duration ("500ms", "5s", "2m").
type Duration struct{ time.Duration }

// DurationForm is appended to every bad-duration error.
const DurationForm = "use a Go duration such as 500ms, 5s or 2m"

// UnmarshalYAML accepts a Go duration that is not negative.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("must be a duration, not %s; %s", describe(n), DurationForm)
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
