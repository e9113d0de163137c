package netx

import (
	"context"
	"os"
	"path/filepath"
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
	// A missing file is an error of that fetch, naming the file.
	c2, _ := New(Options{Offline: true, FromFile: []string{u + "=" + filepath.Join(dir, "nope.json")}})
	if r := c2.Fetch(context.Background(), u); r.Err == nil || r.Err.Stage != StageRequest {
		t.Fatalf("%+v", r)
	}
	for _, bad := range []string{"noequals", "=x", "https://a=", "ftp://a=b"} {
		if _, err := New(Options{FromFile: []string{bad}}); err == nil {
			t.Errorf("--from-file %q accepted", bad)
		}
	}
}
