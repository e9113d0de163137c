package netx

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFromFileAnswersWithoutNetwork(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "doc.json")
	os.WriteFile(f, []byte(`{"issuer":"https://idp.example.com"}`), 0o644)
	u := "https://idp.example.com/.well-known/openid-configuration"
	c, err := New(Options{Offline: true, FromFile: []string{u + "=@" + f}})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Fetch(context.Background(), u)
	if !r.OK() || r.Status != 200 || r.FromFile != f || string(r.Body) != `{"issuer":"https://idp.example.com"}` {
		t.Fatalf("%+v", r)
	}
	if c.NetworkFetches() != 0 {
		t.Error("a file answer counted as a network fetch")
	}
	// Other URLs stay offline.
	if r := c.Fetch(context.Background(), "https://idp.example.com/keys"); r.Err == nil || r.Err.Stage != StageOffline {
		t.Fatalf("%+v", r)
	}
	// A missing saved file or list is the user's input mistake, found
	// before anything is fetched (exit 3 with the path, issue 18), not a
	// failed fetch reported as if the IdP were down.
	for _, rule := range []string{u + "=" + filepath.Join(dir, "nope.json"), "@" + filepath.Join(dir, "nolist.txt"), u + "=" + dir} {
		_, err := New(Options{Offline: true, FromFile: []string{rule}})
		var fe *FileError
		if !errors.As(err, &fe) || fe.Flag != "from-file" || !strings.HasPrefix(fe.Path, dir) {
			t.Errorf("--from-file %s: %v", rule, err)
		}
	}
	for _, bad := range []string{"noequals", "=x", "https://a=", "ftp://a=b"} {
		if _, err := New(Options{FromFile: []string{bad}}); err == nil {
			t.Errorf("--from-file %q accepted", bad)
		}
	}
}
