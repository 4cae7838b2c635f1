package kind

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestDecide: only a cluster tracegate created is ever deleted; a kept one from the run's node
// image is reused as it is.
func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		found Found
		want  Action
	}{
		{Found{}, Create},
		{Found{Exists: true}, ReuseForeign},
		// Kept and Current without Ours cannot be set by inspect; a foreign cluster stays foreign.
		{Found{Exists: true, Kept: true, Current: true}, ReuseForeign},
		{Found{Exists: true, Ours: true}, Recreate},
		{Found{Exists: true, Ours: true, Current: true}, Recreate},
		{Found{Exists: true, Ours: true, Kept: true}, Recreate},
		{Found{Exists: true, Ours: true, Kept: true, Current: true}, ReuseKept},
	} {
		if got, why := Decide(tc.found); got != tc.want || why == "" {
			t.Errorf("Decide(%+v) = %v (%q), want %v", tc.found, got, why, tc.want)
		}
	}
}

// fakeDocker puts a docker on PATH that shows the node containers in $FAKE_NODES ("id image"
// lines) and gives every image the ID $FAKE_IMAGE, and points the markers at a temporary cache.
func fakeDocker(t *testing.T, nodes, image string) {
	t.Helper()
	dir := t.TempDir()
	script := `#!/bin/sh
case "$1" in
  ps) printf '%s\n' "$FAKE_NODES" | cut -d' ' -f1 ;;
  inspect) printf '%s\n' "$FAKE_NODES" ;;
  image) [ -n "$FAKE_IMAGE" ] && echo "$FAKE_IMAGE" || exit 1 ;;
  *) echo "fake docker: unexpected $*" >&2; exit 2 ;;
esac
`
	if err := os.WriteFile(filepath.Join(dir, "docker"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("FAKE_NODES", nodes)
	t.Setenv("FAKE_IMAGE", image)
}

func mustInspect(t *testing.T, want string) Found {
	t.Helper()
	f, _, err := inspect(context.Background(), "tracegate", want)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestMarker: a cluster is tracegate's only while its node containers are those the marker
// recorded when the run created it; kept once a run keeps it; current while its nodes run the
// wanted image.
func TestMarker(t *testing.T) {
	ctx := context.Background()
	fakeDocker(t, "", "sha256:node1")
	if f := mustInspect(t, "img"); f.Exists {
		t.Fatalf("no node containers: %+v, want no cluster", f)
	}

	t.Setenv("FAKE_NODES", "c1 sha256:node1")
	if f := mustInspect(t, "img"); !f.Exists || f.Ours {
		t.Fatalf("a cluster without a marker: %+v, want one that exists and is not tracegate's", f)
	}
	if err := markKept(ctx, "tracegate"); err != nil {
		t.Fatal(err)
	}
	if f := mustInspect(t, "img"); f.Ours || f.Kept {
		t.Fatalf("keeping a cluster tracegate did not create marked it: %+v", f)
	}

	if err := markCreated(ctx, "tracegate", "img"); err != nil {
		t.Fatal(err)
	}
	if f := mustInspect(t, "img"); !f.Ours || f.Kept || !f.Current {
		t.Fatalf("after markCreated: %+v, want ours, current, not kept", f)
	}
	if err := markKept(ctx, "tracegate"); err != nil {
		t.Fatal(err)
	}
	if f := mustInspect(t, "img"); !f.Ours || !f.Kept || !f.Current {
		t.Fatalf("after markKept: %+v, want ours, kept, current", f)
	}

	t.Setenv("FAKE_IMAGE", "sha256:node2") // the node image was rebuilt
	if f := mustInspect(t, "img"); !f.Ours || f.Current {
		t.Fatalf("after a rebuild of the node image: %+v, want ours and not current", f)
	}

	t.Setenv("FAKE_NODES", "c9 sha256:node1") // deleted, and made again by someone else
	if f := mustInspect(t, "img"); !f.Exists || f.Ours || f.Kept {
		t.Fatalf("another cluster of the same name: %+v, want one that is not tracegate's", f)
	}
	if a, _ := Decide(mustInspect(t, "img")); a != ReuseForeign {
		t.Errorf("another cluster of the same name: action %v, want ReuseForeign (never deleted)", a)
	}

	if err := removeMarker("tracegate"); err != nil {
		t.Fatal(err)
	}
	if m, err := readMarker("tracegate"); m != nil || err != nil {
		t.Errorf("after removeMarker: %+v, %v", m, err)
	}
}
