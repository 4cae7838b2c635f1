package v1alpha5

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Decode reads a conformance.yaml of this version strictly: a key the types do not have, or
// another apiVersion or kind, is an error.
func Decode(data []byte) (ConformanceReport, error) {
	var c ConformanceReport
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("decoding a %s report: %w", APIVersion, err)
	}
	if c.APIVersion != APIVersion || c.Kind != Kind {
		return c, fmt.Errorf("the report is apiVersion %q, kind %q; want %q, %q", c.APIVersion, c.Kind, APIVersion, Kind)
	}
	return c, nil
}
