package spec

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// maxErrors is how many errors are listed; a file that has more is not worth reading further.
const maxErrors = 50

// Problems collects every error found in one file, each with its line and field path.
type Problems struct {
	file string
	list []problem
	// lines and bad are keyed by the rendered path (render), and parent walks up the rendered
	// path: field.Path does not give its parent.
	lines map[string]int  // field path -> line of its key (or list element)
	bad   map[string]bool // paths that failed to decode: later checks on them would only repeat it
	huge  bool            // decoding stopped at maxNodes
	// files are the other files the tree was merged from (profile files), by the rendered path
	// of what each holds; order is the order errors are listed in, file by file.
	files map[string]string
	order []string
}

type problem struct {
	file int // index in order: errors are listed file by file
	line int
	msg  string
}

// NewProblems returns an empty collection for the errors of file, the path errors start with.
func NewProblems(file string) *Problems {
	return &Problems{file: file, lines: map[string]int{}, bad: map[string]bool{}, files: map[string]string{}, order: []string{file}}
}

// From says that the field at path and everything under it was read from file (a profile merged
// into the tree): its errors name that file, with that file's lines.
func (p *Problems) From(path *field.Path, file string) {
	p.files[render(path)] = file
	if !slices.Contains(p.order, file) {
		p.order = append(p.order, file)
	}
}

// fileOf is the file the field at the rendered path was read from.
func (p *Problems) fileOf(path string) string {
	for ; path != ""; path = parent(path) {
		if f, ok := p.files[path]; ok {
			return f
		}
	}
	return p.file
}

// at records an error at a known line (0: unknown) for a field path (nil for the whole file).
func (p *Problems) at(line int, path *field.Path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	file := p.fileOf(render(path))
	if path != nil {
		msg = render(path) + ": " + msg
	}
	if line > 0 {
		msg = fmt.Sprintf("%s:%d: %s", file, line, msg)
	} else {
		msg = file + ": " + msg
	}
	p.list = append(p.list, problem{slices.Index(p.order, file), line, msg})
}

// Plain records an error that is not about a line of the file (an environment variable); it is
// listed after the file's errors.
func (p *Problems) Plain(format string, args ...any) {
	p.list = append(p.list, problem{math.MaxInt, math.MaxInt, fmt.Sprintf(format, args...)})
}

// Field records an error for a decoded field, at the line of the field or of its nearest
// ancestor in the file. Nothing is recorded for a field that already failed to decode.
func (p *Problems) Field(path *field.Path, format string, args ...any) {
	s := render(path)
	for a := s; a != ""; a = parent(a) {
		if p.bad[a] {
			return
		}
	}
	p.at(p.line(s), path, format, args...)
}

// line is the line of path or of its nearest ancestor that is in the file; 0 if none is.
func (p *Problems) line(path string) int {
	for ; path != ""; path = parent(path) {
		if l, ok := p.lines[path]; ok {
			return l
		}
	}
	return 0
}

// parent is the path of the mapping or list that holds path: "a.b" for "a.b.c" and "a.b[1]".
func parent(path string) string { return path[:max(strings.LastIndexAny(path, ".["), 0)] }

// Set reports whether path is written in the file (rather than defaulted or inherited).
func (p *Problems) Set(path *field.Path) bool { return p.written(render(path)) }

// written is Set for a rendered path.
func (p *Problems) written(path string) bool {
	_, ok := p.lines[path]
	return ok
}

// Huge reports whether decoding stopped because the file is too large; its error is recorded.
func (p *Problems) Huge() bool { return p.huge }

// Err returns every problem in file order, one per line, or nil.
func (p *Problems) Err() error {
	if len(p.list) == 0 {
		return nil
	}
	list := slices.Clone(p.list)
	slices.SortStableFunc(list, func(a, b problem) int { return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line)) })
	var errs []error
	for i, pr := range list {
		if i == maxErrors {
			errs = append(errs, fmt.Errorf("%s: %d more errors not shown", p.file, len(list)-i))
			break
		}
		errs = append(errs, errors.New(pr.msg))
	}
	return errors.Join(errs...)
}
