package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
)

type data struct {
	Name    string
	Port    int
	private string
}

func TestStringRendersTheData(t *testing.T) {
	got, err := String("t", "{{.Name}}:{{.Port}}", data{Name: "gw", Port: 8080})
	if err != nil || got != "gw:8080" {
		t.Fatalf("String = %q, %v; want gw:8080", got, err)
	}
}

// TestAMissingKeyIsAnError: a map without the key fails (text/template would print "<no
// value>"), and a struct without the field names the fields it has.
func TestAMissingKeyIsAnError(t *testing.T) {
	if got, err := String("m", "{{.Gateway}}", map[string]string{"Namespace": "ns"}); err == nil {
		t.Errorf("a missing map key rendered %q", got)
	}
	_, err := String("s", "{{.Gateway}}", &data{})
	if err == nil || !strings.Contains(err.Error(), "fields available: Name, Port") || strings.Contains(err.Error(), "private") {
		t.Errorf("a missing field gave %v; want it to name the exported fields Name, Port", err)
	}
}

func TestFileUsesItsFuncs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.yaml.tmpl")
	if err := os.WriteFile(path, []byte("{{shout .Name}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := File(path, data{Name: "gw"}, template.FuncMap{"shout": strings.ToUpper})
	if err != nil || string(got) != "GW" {
		t.Fatalf("File = %q, %v; want GW", got, err)
	}
	if _, err := File(path, data{Name: "gw"}, nil); err == nil || !strings.Contains(err.Error(), "shout") {
		t.Errorf("without its funcs: %v; want an error naming shout", err)
	}
}

func TestFieldsOfOtherTypes(t *testing.T) {
	if f := Fields(map[string]any{"A": 1}); f != nil {
		t.Errorf("Fields(map) = %v, want nil", f)
	}
	if f := Fields(nil); f != nil {
		t.Errorf("Fields(nil) = %v, want nil", f)
	}
}
