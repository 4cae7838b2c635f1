package process

import (
	"strings"
	"testing"
)

// TestSupported: Linux runs the suite; any other system gets a message naming it and Linux.
func TestSupported(t *testing.T) {
	if err := supported("linux", "amd64"); err != nil {
		t.Errorf("linux: %v", err)
	}
	err := supported("darwin", "arm64")
	if err == nil || !strings.Contains(err.Error(), "Linux only, and this is darwin/arm64") {
		t.Errorf("darwin: %v; want a message naming Linux and darwin/arm64", err)
	}
}
