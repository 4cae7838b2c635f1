package kind

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A kind cluster is the suite's to delete only when the suite created it. The run that creates
// one records its node containers in a marker file; a cluster of that name whose containers are
// not the marker's (made by someone else, or deleted and made again under the same name) is
// never deleted by a run.

// Marker records that tracegate created a kind cluster.
type Marker struct {
	Cluster string `json:"cluster"`
	// Containers are the IDs of its node containers, sorted.
	Containers []string `json:"containers"`
	// Image is the ID of the node image it was created from.
	Image   string    `json:"image"`
	Created time.Time `json:"created"`
	// Kept: a run kept it (E2E_KEEP=1, DEBUG=1, make kind-up) for later runs to reuse; a marker
	// that is not kept is what a killed run left.
	Kept bool `json:"kept"`
}

// MarkerPath is where the marker of cluster name lives: in the user's cache directory (the
// temporary directory when there is none: no HOME), since a kind cluster belongs to the
// machine's Docker engine, not to one checkout.
func MarkerPath(name string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = filepath.Join(os.TempDir(), fmt.Sprintf("cache-%d", os.Getuid()))
	}
	return filepath.Join(dir, "tracegate", "kind", name+".json")
}

// markerDir names the markers' directory for the plan.
func markerDir() string { return filepath.Dir(MarkerPath("x")) }

func readMarker(name string) (*Marker, error) {
	path := MarkerPath(name)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m Marker
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w (delete it if the cluster is not tracegate's)", path, err)
	}
	return &m, nil
}

func writeMarker(m *Marker) error {
	path := MarkerPath(m.Cluster)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

func removeMarker(name string) error {
	if err := os.Remove(MarkerPath(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// node is one node container of a kind cluster.
type node struct{ ID, Image string }

// clusterNodes lists the node containers of kind cluster name (kind labels each with
// io.x-k8s.kind.cluster), with the ID of the image each runs.
func clusterNodes(ctx context.Context, name string) ([]node, error) {
	out, err := exec.CommandContext(
		ctx,
		"docker",
		"ps",
		"--all",
		"--no-trunc",
		"--quiet",
		"--filter",
		"label=io.x-k8s.kind.cluster="+name,
	).Output()
	if err != nil {
		return nil, fmt.Errorf("docker ps --filter label=io.x-k8s.kind.cluster=%s: %w", name, err)
	}
	ids := strings.Fields(string(out))
	if len(ids) == 0 {
		return nil, nil
	}
	out, err = exec.CommandContext(ctx, "docker", append([]string{"inspect", "--format", "{{.Id}} {{.Image}}"}, ids...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("docker inspect of kind cluster %s's nodes: %w", name, err)
	}
	var nodes []node
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			nodes = append(nodes, node{ID: f[0], Image: f[1]})
		}
	}
	slices.SortFunc(nodes, func(a, b node) int { return strings.Compare(a.ID, b.ID) })
	return nodes, nil
}

// imageID is the ID of a local image, "" when there is none.
func imageID(ctx context.Context, ref string) string {
	out, err := exec.CommandContext(ctx, "docker", "image", "inspect", "--format", "{{.Id}}", ref).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// Found is what the machine shows of a kind cluster before a run creates or reuses it.
type Found struct {
	Exists bool
	// Ours: its node containers are those a marker recorded when tracegate created it.
	Ours bool
	// Kept: a run kept it for later runs (the marker says so).
	Kept bool
	// Current: its nodes run the node image the run wants.
	Current bool
}

// Action is what a run does with the cluster it found.
type Action int

const (
	// Create: there is no cluster of the name.
	Create Action = iota
	// ReuseKept: tracegate created it, a run kept it, and it runs the wanted node image.
	ReuseKept
	// Recreate: tracegate created it, but a killed run left it, or it runs another node image.
	Recreate
	// ReuseForeign: tracegate did not create it: reused once its version is checked, never deleted.
	ReuseForeign
)

// Decide is what a run does with the cluster it found, and why.
func Decide(f Found) (Action, string) {
	switch {
	case !f.Exists:
		return Create, "no cluster of that name"
	case !f.Ours:
		return ReuseForeign, "tracegate did not create it (no marker of its node containers), so it is reused and never deleted"
	case !f.Kept:
		return Recreate, "tracegate created it and no run kept it: a killed run left it"
	case !f.Current:
		return Recreate, "tracegate created and kept it, but from another node image than the run's"
	default:
		return ReuseKept, "tracegate created and kept it, from the run's node image"
	}
}

// inspect finds what the machine has of cluster name: whether it exists, whether tracegate
// created it (its marker names its node containers), whether it was kept, and whether its
// nodes run the image wantImage.
func inspect(ctx context.Context, name, wantImage string) (Found, *Marker, error) {
	nodes, err := clusterNodes(ctx, name)
	if err != nil || len(nodes) == 0 {
		return Found{}, nil, err
	}
	m, err := readMarker(name)
	if err != nil {
		return Found{}, nil, err
	}
	f := Found{Exists: true}
	if m == nil {
		return f, nil, nil
	}
	ids := make([]string, len(nodes))
	want := imageID(ctx, wantImage)
	current := want != ""
	for i, n := range nodes {
		ids[i] = n.ID
		current = current && n.Image == want
	}
	f.Ours = slices.Equal(ids, m.Containers)
	f.Kept, f.Current = f.Ours && m.Kept, f.Ours && current
	return f, m, nil
}

// markCreated records that the run created cluster name from image.
func markCreated(ctx context.Context, name, image string) error {
	nodes, err := clusterNodes(ctx, name)
	if err != nil {
		return err
	}
	if len(nodes) == 0 {
		return fmt.Errorf("kind cluster %s was created, but docker shows no node container labelled io.x-k8s.kind.cluster=%s", name, name)
	}
	m := &Marker{Cluster: name, Image: imageID(ctx, image), Created: time.Now().UTC()}
	for _, n := range nodes {
		m.Containers = append(m.Containers, n.ID)
	}
	return writeMarker(m)
}

// markKept records that a run kept cluster name, if tracegate created it; a cluster it did not
// create gets no marker.
func markKept(ctx context.Context, name string) error {
	f, m, err := inspect(ctx, name, "")
	if err != nil || !f.Ours {
		return err
	}
	m.Kept = true
	return writeMarker(m)
}
