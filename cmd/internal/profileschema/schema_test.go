package profileschema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

const root = "../../.."

// The committed schema and reference are what make schema writes from today's types.
func TestCommittedFilesAreCurrent(t *testing.T) {
	files, err := Files(root)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatalf("%v; run make schema", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: the profile types changed; run make schema and commit it", name)
		}
	}
}

// profiles are the committed profiles: tracegate's, the pinned Envoy versions' (make e2e
// ENVOY=...) and the implementer example's.
func profiles(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join(root, "profiles", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no profiles in %s/profiles: %v", root, err)
	}
	envoys, err := filepath.Glob(filepath.Join(root, "tools", "envoy", "envoy-*.yaml"))
	if err != nil || len(envoys) == 0 {
		t.Fatalf("no Envoy version profiles in %s/tools/envoy: %v", root, err)
	}
	return append(append(files, envoys...), filepath.Join(root, "examples", "implementer", "my-envoy.yaml"))
}

// compiled is the committed schema, compiled by a JSON Schema validator.
func compiled(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, SchemaFile))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("%s does not compile: %v", SchemaFile, err)
	}
	return s
}

// instance is a YAML document as the validator takes it: JSON's values.
func instance(t *testing.T, text []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(text, &v); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every committed profile names the schema on its first line, as the YAML language server reads
// it, and the schema accepts it.
func TestCommittedProfilesMeetTheSchema(t *testing.T) {
	s := compiled(t)
	for _, file := range profiles(t) {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(text), "\n")
		ref, ok := strings.CutPrefix(first, "# yaml-language-server: $schema=")
		if !ok {
			t.Errorf("%s: the first line is %q; want # yaml-language-server: $schema=<path to %s>", file, first, SchemaFile)
		} else if abs, _ := filepath.Abs(filepath.Join(filepath.Dir(file), ref)); abs != mustAbs(t, filepath.Join(root, SchemaFile)) {
			t.Errorf("%s: $schema=%s is not %s", file, ref, SchemaFile)
		}
		if err := s.Validate(instance(t, text)); err != nil {
			t.Errorf("%s does not meet %s: %v", file, SchemaFile, err)
		}
	}
}

// A misspelt key, at the top of a profile and deep in its cluster or an environment type's key,
// is rejected by the schema, naming the key.
func TestSchemaRejectsAMisspeltKey(t *testing.T) {
	s := compiled(t)
	base, err := os.ReadFile(filepath.Join(root, "profiles", "envoy-gateway.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{"    serviceName:", "    servicename:", "'servicename' not allowed"},
		{"      gatewayClass:", "      gatewayclass:", "'gatewayclass' not allowed"},
		{"        tools: [envoy-gateway]", "        tool: [envoy-gateway]", "'tool' not allowed"},                       // kwok's own key
		{"        images: [tracegate.local", "        image: [tracegate.local", "'image' not allowed"},                  // kind's localBuild
		{"features: [SpanName, Propagation", "features: [SpanNames, Propagation", "/features/0': value must be one of"}, // not a feature
		{"attributeNaming: envoy", "attributeNaming: envoi", "/attributeNaming': value must be one of"},
	} {
		if !bytes.Contains(base, []byte(c.from)) {
			t.Fatalf("envoy-gateway.yaml has no %q to change", c.from)
		}
		err := s.Validate(instance(t, bytes.Replace(base, []byte(c.from), []byte(c.to), 1)))
		if err == nil {
			t.Errorf("%q accepted as %q; want it rejected", c.from, c.to)
		} else if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q rejected without saying %q: %v", c.to, c.want, err)
		}
	}
}

// A declaration names a spec or row by its stable ID: a misspelt ID, or the spec's sentence in
// its place, is rejected by the schema.
func TestSchemaRejectsADeclarationThatNamesNoID(t *testing.T) {
	s := compiled(t)
	base, err := os.ReadFile(filepath.Join(root, "profiles", "caddy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const id = "        status-500-server-error-type:"
	if !bytes.Contains(base, []byte(id)) {
		t.Fatalf("caddy.yaml declares no %s", id)
	}
	for _, to := range []string{
		"        status-500-server-errortype:",
		`        "a 500 from the upstream: the SERVER span's error.type is the status code":`,
	} {
		err := s.Validate(instance(t, bytes.Replace(base, []byte(id), []byte(to), 1)))
		key := strings.Trim(strings.TrimSpace(to), `":`)
		if err == nil || !strings.Contains(err.Error(), "invalid propertyName '"+key[:20]) {
			t.Errorf("a declaration keyed %s: %v; want it rejected", strings.TrimSpace(to), err)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
