package usercode_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/authdoctor/authdoctor/pkg/usercode"
)

// find writes files into a temporary directory and finds the user code of
// config.py as an application of profile p reads it.
func find(t *testing.T, p fab.Profile, files map[string]string, paths ...string) (*fab.UserCode, string) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(path string, src []byte, hosts map[string]pyread.Host) *pyread.Module {
		return pyread.Read(path, src, pyread.Options{File: path, HostModules: hosts})
	}
	cfg := filepath.Join(dir, "config.py")
	m := read(cfg, []byte(files["config.py"]), nil)
	dirs := []string{dir}
	for _, p := range paths {
		dirs = append(dirs, filepath.Join(dir, p))
	}
	f := &usercode.Finder{File: cfg, Source: []byte(files["config.py"]), Dirs: dirs, Read: read}
	if c := f.Find(m, p); c != nil {
		return c.Info, dir
	}
	return nil, dir
}

var airflow = fab.Profile{Airflow: true}

const base = "from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride\n"

// FAB sets oauth_user_info = get_oauth_user_info only when the class
// leaves oauth_user_info unset (spec/user-code.md §1): a class defining
// both runs oauth_user_info.
func TestFind_OauthUserInfoWinsOverGetter(t *testing.T) {
	uc, _ := find(t, airflow, map[string]string{"config.py": base + `
class SM(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        return {}

    def oauth_user_info(self, provider, response=None):
        return {}

SECURITY_MANAGER_CLASS = SM
`})
	ref, ok := uc.UserInfo()
	if !ok || ref.Name != "SM.oauth_user_info" || ref.Line != 7 {
		t.Fatalf("user-info code %+v %v", ref, ok)
	}
	if _, ok := uc.Roles(); ok {
		t.Error("no role method is overridden")
	}
}

// A method a user base class defines is inherited (Python's attribute
// lookup), and auth_user_oauth replaces the role step.
func TestFind_InheritedFromUserBase(t *testing.T) {
	uc, _ := find(t, airflow, map[string]string{"config.py": base + `
class Base(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        return {}

class SM(Base):
    def auth_user_oauth(self, userinfo):
        return None

SECURITY_MANAGER_CLASS = SM
`})
	if ref, ok := uc.UserInfo(); !ok || ref.Name != "Base.get_oauth_user_info" || ref.Line != 4 {
		t.Fatalf("user-info code %+v %v", ref, ok)
	}
	if ref, ok := uc.Roles(); !ok || ref.Name != "SM.auth_user_oauth" {
		t.Fatalf("role code %+v %v", ref, ok)
	}
}

// The class may live in a module beside the config (absolute or relative
// import) or in a package found on a --path directory.
func TestFind_ImportedModules(t *testing.T) {
	sm := base + "\nclass SM(FabAirflowSecurityManagerOverride):\n    def get_oauth_user_info(self, provider, resp):\n        return {}\n"
	cases := []struct {
		name   string
		files  map[string]string
		paths  []string
		module string
	}{
		{"beside", map[string]string{"config.py": "from security import SM\nSECURITY_MANAGER_CLASS = SM\n", "security.py": sm}, nil, "security.py"},
		{"relative", map[string]string{"config.py": "from .security import SM\nSECURITY_MANAGER_CLASS = SM\n", "security.py": sm}, nil, "security.py"},
		{"package", map[string]string{"config.py": "from corp.auth import SM\nSECURITY_MANAGER_CLASS = SM\n", "lib/corp/auth/__init__.py": sm}, []string{"lib"}, "lib/corp/auth/__init__.py"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			uc, dir := find(t, airflow, c.files, c.paths...)
			ref, ok := uc.UserInfo()
			if !ok || ref.File != filepath.Join(dir, c.module) || ref.Line != 4 {
				t.Fatalf("user-info code %+v %v (problem %q)", ref, ok, uc.Problem)
			}
		})
	}
}

// FAB imports FAB_SECURITY_MANAGER_CLASS from its dotted string.
func TestFind_DottedStringForFAB(t *testing.T) {
	uc, _ := find(t, fab.Profile{}, map[string]string{
		"config.py":  "FAB_SECURITY_MANAGER_CLASS = \"app.sec.MySM\"\n",
		"app/sec.py": "from flask_appbuilder.security.sqla.manager import SecurityManager\nclass MySM(SecurityManager):\n    def oauth_user_info(self, provider, response=None):\n        return {}\n",
	})
	if ref, ok := uc.UserInfo(); !ok || ref.Name != "MySM.oauth_user_info" {
		t.Fatalf("user-info code %+v %v (problem %q)", ref, ok, uc.Problem)
	}
}

// A module that cannot be found is said plainly (never replaced by the
// built-in code): the import, its line and the flag that would help.
func TestFind_ModuleNotFound(t *testing.T) {
	uc, _ := find(t, airflow, map[string]string{"config.py": "import os\nfrom corp.security import SM\nSECURITY_MANAGER_CLASS = SM\n"})
	if !uc.Unknown() {
		t.Fatal("a class that cannot be read must be unknown")
	}
	for _, want := range []string{"line 2", "corp.security", "--path"} {
		if !strings.Contains(uc.Problem, want) {
			t.Errorf("problem %q lacks %q", uc.Problem, want)
		}
	}
}

// The application's own classes are not user code; a class without any
// hooked method replaces nothing.
func TestFind_NotUserCode(t *testing.T) {
	uc, _ := find(t, airflow, map[string]string{"config.py": "from airflow.www.security import AirflowSecurityManager\nSECURITY_MANAGER_CLASS = AirflowSecurityManager\n"})
	if uc != nil {
		t.Errorf("Airflow's own class taken for user code: %+v", uc)
	}
	uc, _ = find(t, airflow, map[string]string{"config.py": base + "class SM(FabAirflowSecurityManagerOverride):\n    def audit(self):\n        pass\nSECURITY_MANAGER_CLASS = SM\n"})
	if uc == nil || len(uc.Overrides) != 0 || uc.Unknown() {
		t.Errorf("a class overriding nothing: %+v", uc)
	}
	// Superset reads CUSTOM_SECURITY_MANAGER, not Airflow's key
	uc, _ = find(t, fab.Profile{Superset: true}, map[string]string{"config.py": base + "class SM(FabAirflowSecurityManagerOverride):\n    def oauth_user_info(self, p, r=None):\n        pass\nSECURITY_MANAGER_CLASS = SM\n"})
	if uc != nil {
		t.Errorf("Superset reads no SECURITY_MANAGER_CLASS: %+v", uc)
	}
}

// A module path that is not a regular file (a FIFO in a hostile checkout)
// is never opened.
func TestFind_NoSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "security.py")); err != nil {
		t.Skip(err)
	}
	src := []byte("from security import SM\nSECURITY_MANAGER_CLASS = SM\n")
	read := func(path string, src []byte, hosts map[string]pyread.Host) *pyread.Module {
		return pyread.Read(path, src, pyread.Options{HostModules: hosts})
	}
	f := &usercode.Finder{File: filepath.Join(dir, "config.py"), Dirs: []string{dir}, Read: read}
	if c := f.Find(read("config.py", src, nil), airflow); c == nil || !c.Info.Unknown() {
		t.Fatalf("a device is not a module: %+v", c)
	}
}
