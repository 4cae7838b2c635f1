package text_test

import (
	"testing"
	"unicode/utf8"

	"github.com/tracegate/tracegate/internal/text"
)

func TestFirstLineSkipsBlankLines(t *testing.T) {
	if got := text.FirstLine("\n  \n  Timed out after 10s.\nmore"); got != "Timed out after 10s." {
		t.Errorf("FirstLine = %q", got)
	}
}

func TestTruncateNeverSplitsACharacter(t *testing.T) {
	s := "spans for héllo wörld ✓✓✓"
	for n := 4; n < len(s); n++ {
		got := text.Truncate(s, n)
		if len(got) > n || !utf8.ValidString(got) {
			t.Errorf("Truncate(%q, %d) = %q: %d bytes, valid UTF-8 %t", s, n, got, len(got), utf8.ValidString(got))
		}
	}
	if got := text.Truncate("short", 10); got != "short" {
		t.Errorf("Truncate kept %q", got)
	}
}

func TestStripANSI(t *testing.T) {
	if got := text.StripANSI("\x1b[38;5;9m\x1b[1m[FAIL]\x1b[0m spec"); got != "[FAIL] spec" {
		t.Errorf("StripANSI = %q", got)
	}
}
