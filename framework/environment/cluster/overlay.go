package cluster

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// OverlayAnnotation marks each document of an overlay with what it does to the profile's
// fixtures:
//   - add: the document is a new object, created after the fixtures; without a namespace it
//     goes into the run's;
//   - merge: the document is a JSON merge patch (RFC 7386: maps merge, lists and values
//     replace, null removes) of the fixture of the same kind and name;
//   - remove: the fixture of that kind and name is not created.
//
// A merge or remove that matches no fixture is an error, so an overlay cannot drift silently
// from the fixtures it changes.
const OverlayAnnotation = "tracegate.io/overlay"

// The values of OverlayAnnotation.
const (
	OverlayAdd    = "add"
	OverlayMerge  = "merge"
	OverlayRemove = "remove"
)

// decodeDocuments splits a rendered manifest into objects, skipping documents of comments only.
func decodeDocuments(text []byte) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(text)))
	for {
		b, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal(b, &u.Object); err != nil {
			return nil, err
		}
		if len(u.Object) == 0 {
			continue
		}
		if u.GetKind() == "" || u.GetName() == "" {
			return nil, fmt.Errorf("a document without kind or metadata.name:\n%s", b)
		}
		out = append(out, u)
	}
}

// ApplyOverlay returns the fixtures with the overlay's documents applied, in order: fixtures
// keep their place (merged or not), removed ones go, added ones come last. namespace is the
// run's, given to added objects that name none.
func ApplyOverlay(fixtures, overlay []*unstructured.Unstructured, namespace string) ([]*unstructured.Unstructured, error) {
	out := make([]*unstructured.Unstructured, len(fixtures))
	for i, f := range fixtures {
		out[i] = f.DeepCopy()
	}
	find := func(o *unstructured.Unstructured) int {
		for i, f := range out {
			if f != nil && f.GetKind() == o.GetKind() && f.GetName() == o.GetName() && f.GroupVersionKind().Group == o.GroupVersionKind().Group {
				return i
			}
		}
		return -1
	}
	var added []*unstructured.Unstructured
	var errs []error
	for _, o := range overlay {
		o = o.DeepCopy()
		op := o.GetAnnotations()[OverlayAnnotation]
		ann := o.GetAnnotations()
		delete(ann, OverlayAnnotation)
		if len(ann) == 0 {
			unstructured.RemoveNestedField(o.Object, "metadata", "annotations")
		} else {
			o.SetAnnotations(ann)
		}
		what := fmt.Sprintf("%s %s", o.GetKind(), o.GetName())
		switch op {
		case OverlayAdd:
			if find(o) >= 0 && (o.GetNamespace() == "" || o.GetNamespace() == namespace) {
				errs = append(errs, fmt.Errorf("overlay adds %s, which the fixtures already have: use %s", what, OverlayMerge))
				continue
			}
			if o.GetNamespace() == "" {
				o.SetNamespace(namespace)
			}
			added = append(added, o)
		case OverlayMerge, OverlayRemove:
			i := find(o)
			if i < 0 {
				errs = append(errs, fmt.Errorf("overlay %ss %s, which no fixture has", op, what))
				continue
			}
			if op == OverlayRemove {
				out[i] = nil
				continue
			}
			patch := o.Object
			delete(patch, "apiVersion")
			delete(patch, "kind")
			out[i].Object = mergePatch(out[i].Object, patch).(map[string]any)
		default:
			errs = append(errs, fmt.Errorf(
				"overlay document %s: annotation %s is %q; allowed: %s, %s, %s",
				what,
				OverlayAnnotation,
				op,
				OverlayAdd,
				OverlayMerge,
				OverlayRemove,
			))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var kept []*unstructured.Unstructured
	for _, f := range out {
		if f != nil {
			kept = append(kept, f)
		}
	}
	return append(kept, added...), nil
}

// mergePatch applies an RFC 7386 JSON merge patch to target.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}
