package tracegate_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/testenv"
)

// maxTrackedSize is the largest file the repository may track: the module zip ships every one.
const maxTrackedSize = 1 << 20

// largeAllowed are the files allowed above maxTrackedSize, by glob: the Gateway API CRD bundles
// the cluster environments install, as their release publishes them.
var largeAllowed = []string{"fixtures/gateway-api/*/*.yaml"}

// imagesAllowed are the pictures the docs show (the matrix's screenshot): binary by nature, each
// under maxTrackedSize like any file, and recognised by the PNG signature, not by name alone.
var imagesAllowed = []string{"docs/*.png"}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// binaryMagic are the first bytes of executables and archives that have no place in the tree:
// a built binary belongs in bin/ (ignored), never in the module zip.
var binaryMagic = map[string][]byte{
	"an ELF executable":      []byte("\x7fELF"),
	"a Mach-O executable":    {0xcf, 0xfa, 0xed, 0xfe},
	"a 32-bit Mach-O file":   {0xce, 0xfa, 0xed, 0xfe},
	"a universal binary":     {0xca, 0xfe, 0xba, 0xbe},
	"a Windows executable":   []byte("MZ"),
	"a gzip archive":         {0x1f, 0x8b},
	"a zip archive or wheel": []byte("PK\x03\x04"),
}

// TestNoBinaryOrLargeFileTracked: no tracked file is a binary (any file with a NUL byte in its
// first 8 KiB, or an executable's or archive's magic), and none is over 1 MiB unless largeAllowed
// lists it. A 20 MB binary once shipped in the module zip this way.
func TestNoBinaryOrLargeFileTracked(t *testing.T) {
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		testenv.Skip(t, fmt.Sprintf("not a git work tree (git ls-files: %v): nothing tracked to check", err))
	}
	var bad []string
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if why := trackedProblem(name); why != "" {
			bad = append(bad, name+": "+why)
		}
	}
	if len(bad) > 0 {
		t.Errorf(
			"tracked files that must not be (git rm --cached them; build into bin/, which .gitignore covers):\n  %s",
			strings.Join(bad, "\n  "),
		)
	}
}

// trackedProblem says what is wrong with a tracked file, or "".
func trackedProblem(name string) string {
	fi, err := os.Lstat(name)
	if err != nil || !fi.Mode().IsRegular() {
		return "" // deleted in the work tree, or a symlink: nothing shipped from here
	}
	if fi.Size() > maxTrackedSize && !allowedLarge(name) {
		return fmt.Sprintf("%d bytes, over the %d allowed (only %s may be larger)", fi.Size(), maxTrackedSize, strings.Join(largeAllowed, ", "))
	}
	f, err := os.Open(name)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	head := make([]byte, 8<<10)
	n, _ := f.Read(head)
	head = head[:n]
	if matchAny(imagesAllowed, name) && bytes.HasPrefix(head, pngSignature) {
		return ""
	}
	for what, magic := range binaryMagic {
		if bytes.HasPrefix(head, magic) {
			return what
		}
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "a binary file (a NUL byte in its first 8 KiB)"
	}
	return ""
}

func allowedLarge(name string) bool { return matchAny(largeAllowed, name) }

func matchAny(globs []string, name string) bool {
	for _, glob := range globs {
		if ok, _ := path.Match(glob, name); ok {
			return true
		}
	}
	return false
}

// TestTrackedProblem: the check finds a binary, a large file and a NUL byte, and passes text.
func TestTrackedProblem(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	files := map[string][]byte{
		"mutate":                            append([]byte("\x7fELF"), make([]byte, 64)...),
		"notes.txt":                         []byte("plain text\n"),
		"blob.dat":                          []byte("text\x00more"),
		"big.yaml":                          bytes.Repeat([]byte("a: b\n"), maxTrackedSize/5+1),
		"fixtures/gateway-api/v9/crds.yaml": bytes.Repeat([]byte("a: b\n"), maxTrackedSize/5+1),
		"docs/page.png":                     append(slices.Clone(pngSignature), 0, 0, 0),
		"docs/fake.png":                     []byte("text\x00more"),
	}
	for name, data := range files {
		if err := os.MkdirAll(path.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{"mutate": "an ELF executable", "notes.txt": "", "blob.dat": "a NUL byte",
		"big.yaml": "over the 1048576 allowed", "fixtures/gateway-api/v9/crds.yaml": "",
		"docs/page.png": "", "docs/fake.png": "a NUL byte"} {
		if got := trackedProblem(name); (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("trackedProblem(%s) = %q, want %q", name, got, want)
		}
	}
}

// maxGoLine is the longest line, in bytes, of a tracked Go file outside tools/ and examples/
// (modules of their own) that is not generated: a longer line hides its arguments and
// conditions past the edge of an editor or a review.
const maxGoLine = 140

// generatedGo is the line a generated Go file carries (go help generate).
var generatedGo = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

// TestGoLinesFit: no line of a tracked Go file is over maxGoLine.
func TestGoLinesFit(t *testing.T) {
	out, err := exec.Command("git", "ls-files", "-z", "*.go").Output()
	if err != nil {
		testenv.Skip(t, fmt.Sprintf("not a git work tree (git ls-files: %v): nothing tracked to check", err))
	}
	var long []string
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if name == "" || strings.HasPrefix(name, "tools/") || strings.HasPrefix(name, "examples/") {
			continue
		}
		data, err := os.ReadFile(name)
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		long = append(long, longGoLines(name, data)...)
	}
	if len(long) > 0 {
		t.Errorf("Go lines over %d characters, the limit (wrap a call one argument per line, a condition at && or ||, "+
			"a string with +):\n  %s", maxGoLine, strings.Join(long, "\n  "))
	}
}

// longGoLines names each line of a Go file over maxGoLine as file:line, with its length; none
// in a generated file.
func longGoLines(name string, data []byte) []string {
	if generatedGo.Match(data) {
		return nil
	}
	var long []string
	for i, line := range strings.Split(string(data), "\n") {
		if len(line) > maxGoLine {
			long = append(long, fmt.Sprintf("%s:%d: %d characters", name, i+1, len(line)))
		}
	}
	return long
}

// TestLongGoLines: the check names a line one over the limit by file and line, and passes a line
// at the limit and a generated file.
func TestLongGoLines(t *testing.T) {
	at, over := strings.Repeat("x", maxGoLine), strings.Repeat("y", maxGoLine+1)
	src := "package p\n\n// " + at[3:] + "\nvar s = \"" + over[10:] + "\"\n"
	got := longGoLines("p/p.go", []byte(src))
	if want := []string{"p/p.go:4: 141 characters"}; !slices.Equal(got, want) {
		t.Errorf("longGoLines = %q, want %q", got, want)
	}
	if got := longGoLines("p/gen.go", []byte("// Code generated by x. DO NOT EDIT.\n\n"+src)); got != nil {
		t.Errorf("longGoLines of a generated file = %q, want none", got)
	}
}
