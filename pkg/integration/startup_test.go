package integration

import (
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/oidcprovider"
)

// Every command pays for every package's init, so authdoctor's own
// packages build nothing there: tables, registries and regular
// expressions are made on first use (#9). GODEBUG=inittrace=1 makes the
// runtime print each package init's heap allocation; bytes are exact,
// unlike times.
func TestPackageInitAllocatesAlmostNothing(t *testing.T) {
	cmd := exec.Command(bin, "version")
	cmd.Env = append(cmd.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("authdoctor version: %v\n%s", err, out)
	}
	// init github.com/authdoctor/authdoctor/pkg/fab @1.2 ms, 0.010 ms clock, 360 bytes, 9 allocs
	line := regexp.MustCompile(`(?m)^init (github\.com/authdoctor/authdoctor/\S+) @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs$`)
	const maxBytes, maxAllocs = 1024, 32
	seen := 0
	for _, m := range line.FindAllStringSubmatch(string(out), -1) {
		seen++
		b, _ := strconv.Atoi(m[2])
		a, _ := strconv.Atoi(m[3])
		if b > maxBytes || a > maxAllocs {
			t.Errorf("%s allocates %d bytes in %d allocations at init (at most %d bytes, %d allocations): build it on first use",
				strings.TrimPrefix(m[1], "github.com/authdoctor/authdoctor/"), b, a, maxBytes, maxAllocs)
		}
	}
	// pyread, fab, config, oidc, token, verify, urlcheck, doctor ... all
	// have package-level state; if none is reported, the trace format
	// changed and this test would pass on nothing.
	if seen < 5 {
		t.Fatalf("inittrace reported %d authdoctor packages, want at least 5:\n%s", seen, out)
	}
}

// The measurement programs under testdata/perf are outside ./... (Go
// skips testdata), so nothing else would notice when a change breaks
// them: type-check them here.
func TestPerfProgramsCompile(t *testing.T) {
	root, err := oidcprovider.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", "./testdata/perf/...")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet ./testdata/perf/...: %v\n%s", err, out)
	}
}
