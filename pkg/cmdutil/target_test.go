package cmdutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	for arg, want := range map[string]string{
		"https://a.example.com/keys": "https://a.example.com/keys",
		"a.example.com/keys":         "https://a.example.com/keys",
		"@keys.json":                 "file:keys.json",
	} {
		tg, err := ParseTarget("argument", arg)
		got := tg.URL
		if tg.File != "" {
			got = "file:" + tg.File
		}
		if err != nil || got != want {
			t.Errorf("%q: %q %v", arg, got, err)
		}
	}
	for _, bad := range []string{"", "@", "ftp://a/b", "not a url", "keys"} {
		if _, err := ParseTarget("argument", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A file name without @ and a URL still holding a documentation
// placeholder are usage errors that say what to do (issue 18).
func TestParseTargetNamesInputMistakes(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "keys.json")
	if err := os.WriteFile(f, []byte(`{"keys":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		f: "did you mean @" + f,
		"https://login.microsoftonline.com/<tenant-id>/v2.0":    `placeholder "<tenant-id>"`,
		"https://login.microsoftonline.com/your-tenant-id/v2.0": `placeholder "your-tenant-id"`,
		"https://YOUR_DOMAIN.okta.com/oauth2/default":           `placeholder "YOUR_DOMAIN"`,
	}
	for arg, want := range cases {
		_, err := ParseTarget("--jwks", arg)
		var u *UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "--jwks ") {
			t.Errorf("%q: %v, want a usage error with %q", arg, err, want)
		}
	}
}
