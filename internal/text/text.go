// Package text holds the small string helpers failure messages and reports share.
package text

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// FirstLine is the first non-empty line of s, trimmed: the part of a failure message worth a
// table cell.
func FirstLine(s string) string {
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}

// Truncate shortens s to at most n bytes, ending in "..." when it cut something, and never
// splits a UTF-8 character.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := max(n-3, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// ansi matches the terminal colour and style sequences Ginkgo and Gomega may put in messages.
var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// StripANSI removes terminal escape sequences, for text written to files.
func StripANSI(s string) string { return ansi.ReplaceAllString(s, "") }
