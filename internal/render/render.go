// Package render renders Go text templates the one way tracegate does: a key missing from the
// data is an error, and a failed render names the fields the data has.
package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"text/template"
)

// Parse parses text as the template name, a missing key being an error when it runs, with
// funcs (nil for none) besides text/template's own.
func Parse(name, text string, funcs template.FuncMap) (*template.Template, error) {
	t := template.New(name).Option("missingkey=error")
	if funcs != nil {
		t = t.Funcs(funcs)
	}
	return t.Parse(text)
}

// Execute runs a parsed template with data; its error names the fields data has.
func Execute(t *template.Template, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		if f := Fields(data); len(f) > 0 {
			return nil, fmt.Errorf("%w (fields available: %s)", err, strings.Join(f, ", "))
		}
		return nil, err
	}
	return b.Bytes(), nil
}

// String renders text, as the template name, with data.
func String(name, text string, data any) (string, error) {
	t, err := Parse(name, text, nil)
	if err != nil {
		return "", err
	}
	out, err := Execute(t, data)
	return string(out), err
}

// File renders the template in the file at path, named by its base name, with data and funcs
// (nil for none).
func File(path string, data any, funcs template.FuncMap) ([]byte, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := Parse(filepath.Base(path), string(text), funcs)
	if err != nil {
		return nil, err
	}
	return Execute(t, data)
}

// Fields are the exported fields of data's type (a struct, or a pointer to one), in their
// order, found by reflection: what a template rendered with it can name. Nil for other types.
func Fields(data any) []string {
	t := reflect.TypeOf(data)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for f := range t.Fields() {
		if f.IsExported() {
			names = append(names, f.Name)
		}
	}
	return names
}
