package testkit

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// RepoRoot walks up from the working directory to the directory holding
// go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("testkit: getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("testkit: no go.mod above the working directory")
		}
		dir = parent
	}
}

// FixturesDir is <repo>/../shared/fixtures. It fails the test (never
// skips) when the directory is absent.
func FixturesDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join(RepoRoot(t), "..", "shared", "fixtures")
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		t.Fatalf("testkit: the shared fixtures are missing: %s does not exist (clone the repository with shared/ beside it)", d)
	}
	return d
}

// FixturePath is the path of one fixture, relative to the fixtures
// directory (e.g. "azure/entra-v2-common-jwks.2024-10-26.json").
func FixturePath(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(FixturesDir(t), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("testkit: fixture %s: %v", rel, err)
	}
	return p
}

// Fixture reads one fixture.
func Fixture(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(FixturePath(t, rel))
	if err != nil {
		t.Fatalf("testkit: fixture %s: %v", rel, err)
	}
	return b
}

// FixtureGlob lists fixtures matching a pattern relative to the fixtures
// directory (e.g. "*/*jwks*.json"), as relative slash paths, sorted.
func FixtureGlob(t testing.TB, pattern string) []string {
	t.Helper()
	dir := FixturesDir(t)
	m, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
	if err != nil {
		t.Fatalf("testkit: glob %s: %v", pattern, err)
	}
	var out []string
	for _, p := range m {
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
	}
	sort.Strings(out)
	return out
}
