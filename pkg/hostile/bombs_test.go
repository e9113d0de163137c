//go:build linux

package hostile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResourceBombsThroughEveryCommand: the reader's own hostile tests
// bound what it evaluates, but every value it returns is then converted
// and walked by the commands. A list shared by reference ([L] * 100000 of
// an L of 100000 items) is cheap for the reader and 10^10 values for a
// naive converter: every command that reads a config must end, within
// the memory bound, and say what it could not check.
func TestResourceBombsThroughEveryCommand(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(root, "testdata", "configs", "hostile", "resource-exhaustion.py")
	claims := filepath.Join(t.TempDir(), "claims.json")
	if err := os.WriteFile(claims, []byte(`{"sub":"u1","email":"ada@example.com"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"lint", f, "--no-env", "-o", "json"},
		{"lint", f, "--no-env", "-o", "sarif"},
		{"roles", "--config", f, "--no-env", "--provider", "azure", "--claims", "@" + claims, "-o", "json"},
		{"doctor", "--config", f, "--no-env", "--offline", "-o", "json"},
		{"config", "show", f, "--no-env", "-o", "json"},
		{"config", "show", f, "--no-env"},
	} {
		r := run(t, runOpts{}, args...)
		t.Logf("%s: exit %d, peak RSS %s", args[0], r.code, mib(r.maxRSS))
		if r.code > 1 {
			t.Errorf("%s: exit %d\n%s", args[0], r.code, r)
		}
		if r.maxRSS > maxRSS {
			t.Errorf("%s: peak RSS %s", args[0], mib(r.maxRSS))
		}
	}
}

// TestPlainAppViewsAreNeverRun: the views and app factories of a plain
// Flask app are read to find its OAuth clients and redirect URIs; what
// they would do (os.system, subprocess, an endless loop, deep recursion)
// never happens, and reading them is bounded.
func TestPlainAppViewsAreNeverRun(t *testing.T) {
	mark := t.TempDir()
	src := strings.ReplaceAll(`import os, subprocess
from flask import Flask, url_for
from flask_oauthlib.client import OAuth

app = Flask(__name__)
oauth = OAuth(app)

def factory():
    os.system("touch MARK/factory")
    while True:
        pass

def recurse():
    return recurse()

@app.route("/login")
def login():
    subprocess.run(["touch", "MARK/view"])
    return remote.authorize(callback=url_for("authorized", _external=True))

@app.route("/authorized")
def authorized():
    open("MARK/open", "w").write("x")
    return ""

remote = oauth.remote_app("idp", consumer_key="k", authorize_url="https://idp.example.com/authorize")
`, "MARK", mark)
	dir := t.TempDir()
	p := filepath.Join(dir, "app.py")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"lint", p, "--no-env", "-o", "json"}, {"config", "show", p, "--no-env", "-o", "json"}} {
		r := run(t, runOpts{dir: dir}, args...)
		if r.code > 1 {
			t.Errorf("%s: exit %d\n%s", args[0], r.code, r)
		}
		if args[0] == "lint" {
			if _, ok := r.find("CFG025"); !ok {
				t.Errorf("the Flask-OAuthlib client was not read: %v", r.ids())
			}
		}
	}
	if entries, _ := os.ReadDir(mark); len(entries) != 0 {
		t.Errorf("the app's code ran: %v", entries)
	}
}
