package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Parse returns the root node of the single YAML document in data, read from path, or nil for
// an empty file.
func Parse(path string, data []byte) (root *yaml.Node, err error) {
	defer func() {
		// The YAML library reports malformed input as errors; this keeps a bug of its on
		// some odd input from crashing the run without saying which file it was reading.
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("%s: invalid YAML: %v", path, r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, syntaxError(path, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, fmt.Errorf("%s:%d: a second YAML document; the file must hold exactly one", path, max(next.Line, 1))
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxError(path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parserProblems are the YAML parser's (not scanner's) problems. For them yaml.v3 reports the
// 0-based line of the mark (for "did not find expected ',' or '}'", where the unclosed
// collection starts), one less than the line a person counts; scanner problems are 1-based.
var parserProblems = []string{
	"did not find expected <document start>", "did not find expected <stream-start>", "did not find expected key",
	"did not find expected node content", "did not find expected '-' indicator",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found duplicate %YAML directive", "found duplicate %TAG directive", "found incompatible YAML document", "found undefined tag handle",
}

// syntaxError turns "yaml: line 3: did not find expected key" into
// "ginkgo.yaml:4: invalid YAML: did not find expected key", with the line a person counts.
func syntaxError(path string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		problem := msg[len(m[0]):]
		if slices.Contains(parserProblems, problem) {
			line++
		}
		return fmt.Errorf("%s:%d: invalid YAML: %s", path, line, problem)
	}
	return fmt.Errorf("%s: invalid YAML: %s", path, strings.TrimPrefix(msg, "yaml: "))
}
