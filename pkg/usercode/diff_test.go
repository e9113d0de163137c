package usercode_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/usercode"
	"github.com/golang-jwt/jwt/v5"
)

// The differential suite (issue 16, "Done when"): each case's user code
// runs under CPython 3 with the real PyJWT 2 (Debian's python3-jwt),
// with only FAB's base classes stubbed (testdata/diff/stubs/fabstub.py,
// written from the spec), and authdoctor's static evaluation of the same
// files must give the same user-info, outcome and roles (and for a
// refusal the same exception and line, for an unknown the same line), on
// each flavour.

// diffCase is testdata/diff/cases/NAME/case.json.
type diffCase struct {
	Provider string `json:"provider"`
	// IDToken and AccessToken are the tokens' claims (AccessToken
	// defaults to IDToken); exp and iat are added unless given.
	IDToken     map[string]any `json:"id_token"`
	AccessToken map[string]any `json:"access_token"`
	// Opaque makes the access token an opaque string; NoIDToken leaves
	// the id_token out of the response.
	Opaque    bool `json:"opaque_access_token"`
	NoIDToken bool `json:"no_id_token"`
	// Alg is HS256 (default, with the test's secret) or RS256 (a key made
	// for the run; {{PEM}} in the files is its public key).
	Alg string `json:"alg"`
	// Expired makes the tokens expired an hour ago.
	Expired bool `json:"expired"`
	// BreakPadding pads the id_token's payload so that its base64 length
	// is not a multiple of 4 (then base64.b64decode without padding fails).
	BreakPadding bool           `json:"break_padding"`
	UserInfo     map[string]any `json:"userinfo"`
	// PythonStart is what CPython says when the app cannot start here (a
	// module the case does not ship): authdoctor must then be unknown,
	// naming --path.
	PythonStart string `json:"python_start"`
	Why         string `json:"why"`
}

// diffSecret signs the HS256 tokens of the suite (made up for the test).
const diffSecret = "authdoctor-diff-suite-secret-not-a-real-one"

// diffFlavors are the flavours each case runs on: authdoctor's --flavor
// value and the stub's name.
var diffFlavors = []struct{ flag, stub, setting, baseImport string }{
	{"airflow2", "airflow-2.9", "SECURITY_MANAGER_CLASS", "from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride as BaseSM"},
	{"airflow3", "airflow-3", "SECURITY_MANAGER_CLASS", "from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride as BaseSM"},
	{"superset", "superset", "CUSTOM_SECURITY_MANAGER", "from superset.security import SupersetSecurityManager as BaseSM"},
	{"fab", "fab", "FAB_SECURITY_MANAGER_CLASS", "from flask_appbuilder.security.sqla.manager import SecurityManager as BaseSM"},
}

// pyResult is what harness.py prints for a job.
type pyResult struct {
	ID         string         `json:"id"`
	Outcome    string         `json:"outcome"`
	UserInfo   map[string]any `json:"userinfo"`
	Roles      []string       `json:"roles"`
	Exception  *pyException   `json:"exception"`
	UnknownAt  int            `json:"unknown_line"`
	StartError string         `json:"error"`
}

type pyException struct {
	Type, Module, Message string
	Line                  int
}

type pyJob struct {
	ID       string         `json:"id"`
	Root     string         `json:"root"`
	Dir      string         `json:"dir"`
	Main     string         `json:"main"`
	Setting  string         `json:"setting"`
	Provider string         `json:"provider"`
	Resp     map[string]any `json:"resp"`
	UserInfo map[string]any `json:"userinfo"`
}

// diffRun is one case on one flavour: authdoctor's result and the job
// for CPython.
type diffRun struct {
	name, flavor string
	c            diffCase
	res          *fab.Result
	job          pyJob
}

func TestDifferentialCPython(t *testing.T) {
	py := "/usr/bin/python3"
	if out, err := exec.Command(py, "-c", "import jwt, sys; sys.exit(0 if jwt.__version__.startswith('2.') else 1)").CombinedOutput(); err != nil {
		t.Skipf("the differential suite needs %s with PyJWT 2 (Debian's python3-jwt; .ci/run installs it): %v %s", py, err, out)
	}
	cases, err := filepath.Glob("testdata/diff/cases/*/case.json")
	if err != nil || len(cases) < 30 {
		t.Fatalf("the suite needs at least 30 cases, found %d (%v)", len(cases), err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	var runs []*diffRun
	for _, fl := range diffFlavors {
		for _, cf := range cases {
			runs = append(runs, prepare(t, root, fl.flag, fl.stub, fl.setting, fl.baseImport, cf, key))
		}
	}
	got := map[string]pyResult{}
	for _, fl := range diffFlavors {
		var jobs []pyJob
		for _, r := range runs {
			if r.flavor == fl.flag {
				jobs = append(jobs, r.job)
			}
		}
		for _, pr := range runHarness(t, py, fl.stub, jobs) {
			got[pr.ID] = pr
		}
	}
	agree := map[string]int{}
	total := map[string]int{}
	for _, r := range runs {
		total[r.flavor]++
		pr, ok := got[r.job.ID]
		if !ok {
			t.Errorf("%s: CPython gave no result", r.job.ID)
			continue
		}
		if diffs := compare(r, pr); len(diffs) > 0 {
			t.Errorf("%s (%s): authdoctor and CPython disagree:\n  %s", r.job.ID, r.c.Why, strings.Join(diffs, "\n  "))
			continue
		}
		agree[r.flavor]++
		if os.Getenv("AUTHDOCTOR_DIFF_SHOW") != "" {
			t.Logf("%-40s %-9s %s | CPython %s", r.job.ID, r.res.Outcome, detail(r.res), pyDetail(pr))
		}
	}
	for _, fl := range diffFlavors {
		t.Logf("flavour %-8s: %d cases, %d agree", fl.flag, total[fl.flag], agree[fl.flag])
	}
}

// prepare writes a case for a flavour, signs its tokens and runs
// authdoctor's dry-run on it.
func prepare(t *testing.T, root, flag, stub, setting, baseImport, caseFile string, key *rsa.PrivateKey) *diffRun {
	t.Helper()
	name := filepath.Base(filepath.Dir(caseFile))
	var c diffCase
	b, err := os.ReadFile(caseFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", caseFile, err)
	}
	dir := filepath.Join(root, flag, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}))
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(caseFile), "*.py"))
	for _, f := range files {
		src, _ := os.ReadFile(f)
		s := expand(string(src), flag, setting, baseImport, pemText)
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	resp := tokens(t, c, key)
	r := &diffRun{name: name, flavor: flag, c: c}
	r.job = pyJob{ID: flag + "/" + name, Root: root, Dir: dir, Main: "webserver_config", Setting: setting, Provider: c.Provider, Resp: resp, UserInfo: c.UserInfo}
	r.res = authdoctorRun(t, filepath.Join(dir, "webserver_config.py"), flag, c, resp)
	return r
}

// expand fills a case file's placeholders for a flavour: {{IMPORT}} the
// base class import (as BaseSM), {{INSTALL:X}} the setting that installs
// class X (a dotted string for FAB), {{PEM}} the run's public key,
// {{SECRET}} the HS256 secret.
func expand(s, flag, setting, baseImport, pemText string) string {
	s = strings.ReplaceAll(s, "{{IMPORT}}", baseImport)
	s = strings.ReplaceAll(s, "{{PEM}}", strings.TrimSpace(pemText))
	s = strings.ReplaceAll(s, "{{SECRET}}", diffSecret)
	for {
		i := strings.Index(s, "{{INSTALL:")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "}}")
		ref := s[i+len("{{INSTALL:") : i+j]
		line := setting + " = " + ref[strings.LastIndexByte(ref, '.')+1:]
		if flag == "fab" {
			if !strings.Contains(ref, ".") {
				ref = "webserver_config." + ref
			}
			line = setting + " = " + fmt.Sprintf("%q", ref)
		}
		s = s[:i] + line + s[i+j+2:]
	}
}

// tokens signs the case's tokens (HS256 with the suite's secret, or RS256
// with the run's key) and builds the token response.
func tokens(t *testing.T, c diffCase, key *rsa.PrivateKey) map[string]any {
	t.Helper()
	now := time.Now()
	sign := func(claims map[string]any) string {
		m := jwt.MapClaims{}
		for k, v := range claims {
			m[k] = v
		}
		if _, ok := m["exp"]; !ok {
			m["exp"] = now.Add(time.Hour).Unix()
			if c.Expired {
				m["exp"] = now.Add(-time.Hour).Unix()
			}
		}
		if _, ok := m["iat"]; !ok {
			m["iat"] = now.Add(-time.Minute).Unix()
		}
		if c.BreakPadding {
			for i := 0; i < 4; i++ {
				p, _ := json.Marshal(m)
				if n := len(base64.RawURLEncoding.EncodeToString(p)); n%4 == 2 || n%4 == 3 {
					break
				}
				m["pad"] = strings.Repeat("x", i+1)
			}
		}
		var s string
		var err error
		if c.Alg == "RS256" {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, m)
			tok.Header["kid"] = "diff-key-1"
			s, err = tok.SignedString(key)
		} else {
			tok := jwt.NewWithClaims(jwt.SigningMethodHS256, m)
			tok.Header["kid"] = "diff-key-1"
			s, err = tok.SignedString([]byte(diffSecret))
		}
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	resp := map[string]any{"token_type": "Bearer", "expires_in": 3600}
	idt := sign(c.IDToken)
	if !c.NoIDToken {
		resp["id_token"] = idt
	}
	switch {
	case c.Opaque:
		resp["access_token"] = "opaque-access-token-value"
	case c.AccessToken != nil:
		resp["access_token"] = sign(c.AccessToken)
	default:
		resp["access_token"] = idt
	}
	return resp
}

// authdoctorRun is authdoctor's dry-run of the login (what `roles` and
// doctor's roles step run).
func authdoctorRun(t *testing.T, path, flag string, c diffCase, resp map[string]any) *fab.Result {
	t.Helper()
	f, err := config.Load(path, config.LoadOptions{NoEnv: true, Flavor: flag})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	rb, _ := json.Marshal(resp)
	login := usercode.Login{Config: f.Config, Response: rb}
	if c.UserInfo != nil {
		login.UserInfo, _ = json.Marshal(c.UserInfo)
		login.UserInfoFrom = "--userinfo"
	}
	claims := map[string]any{}
	for k, v := range c.IDToken {
		claims[k] = v
	}
	in := fab.SimInput{Provider: c.Provider, Claims: claims, ClaimsSource: "test", SyntaxErrors: f.SyntaxErrors}
	if ev := f.Code.Evaluator(login); ev != nil {
		in.UserCode = ev
	}
	res, err := fab.SimulatePlausible(f.Config, f.Plausible, in)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

func runHarness(t *testing.T, py, flavor string, jobs []pyJob) []pyResult {
	t.Helper()
	in, _ := json.Marshal(jobs)
	cmd := exec.Command(py, "testdata/diff/harness.py")
	cmd.Env = append(os.Environ(), "AUTHDOCTOR_DIFF_FLAVOR="+flavor, "PYTHONDONTWRITEBYTECODE=1")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("harness (%s): %v\n%s", flavor, err, stderr.String())
	}
	var res []pyResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("harness (%s) output: %v\n%s", flavor, err, out)
	}
	return res
}

// compare lists where authdoctor and CPython disagree.
func compare(r *diffRun, pr pyResult) []string {
	res := r.res
	var d []string
	if r.c.PythonStart != "" {
		if pr.Outcome != "start-failed" || !strings.Contains(pr.StartError, r.c.PythonStart) {
			d = append(d, fmt.Sprintf("CPython: %s %s, expected the app not to start (%s)", pr.Outcome, pr.StartError, r.c.PythonStart))
		}
		if res.Outcome != fab.Unknowable || res.Unknown == nil || res.Unknown.Supply != "--path DIR" {
			d = append(d, fmt.Sprintf("authdoctor: %s %+v, expected unknown naming --path", res.Outcome, res.Unknown))
		}
		return d
	}
	if res.Outcome != pr.Outcome {
		d = append(d, fmt.Sprintf("outcome: authdoctor %s %s, CPython %s %s", res.Outcome, detail(res), pr.Outcome, pyDetail(pr)))
		return d
	}
	switch pr.Outcome {
	case "unknown":
		if res.Unknown == nil || res.Unknown.Line != pr.UnknownAt {
			d = append(d, fmt.Sprintf("unknown at: authdoctor %+v, CPython line %d", res.Unknown, pr.UnknownAt))
		}
	case "refused":
		d = append(d, compareException(res.Exception, pr.Exception)...)
	}
	if pr.UserInfo != nil || pr.Outcome == "granted" || pr.Outcome == "no-access" {
		var mine any
		if res.UserInfo != nil {
			b, _ := json.Marshal(res.UserInfo)
			_ = json.Unmarshal(b, &mine)
		}
		var theirs any = pr.UserInfo
		if pr.UserInfo == nil {
			theirs = nil
		} else {
			b, _ := json.Marshal(pr.UserInfo)
			_ = json.Unmarshal(b, &theirs)
		}
		if !reflect.DeepEqual(mine, theirs) {
			d = append(d, fmt.Sprintf("userinfo: authdoctor %v, CPython %v", mine, theirs))
		}
	}
	if pr.Outcome == "granted" || pr.Outcome == "no-access" {
		mine := append([]string{}, res.Roles...)
		sort.Strings(mine)
		if strings.Join(mine, ",") != strings.Join(pr.Roles, ",") {
			d = append(d, fmt.Sprintf("roles: authdoctor %v, CPython %v", mine, pr.Roles))
		}
	}
	return d
}

func compareException(mine *fab.CodeException, theirs *pyException) []string {
	switch {
	case mine == nil && theirs == nil:
		return nil
	case mine == nil || theirs == nil:
		return []string{fmt.Sprintf("exception: authdoctor %+v, CPython %+v", mine, theirs)}
	}
	if mine.Type != theirs.Type || mine.Module != theirs.Module || mine.Message != theirs.Message || mine.Line != theirs.Line {
		return []string{fmt.Sprintf("exception: authdoctor %s.%s %q line %d, CPython %s.%s %q line %d",
			mine.Module, mine.Type, mine.Message, mine.Line, theirs.Module, theirs.Type, theirs.Message, theirs.Line)}
	}
	return nil
}

func detail(res *fab.Result) string {
	switch {
	case res.Unknown != nil:
		return res.Unknown.String()
	case res.Exception != nil:
		return res.Exception.Text
	case res.Refusal != nil:
		return res.Refusal.Reason
	}
	return fmt.Sprint(res.Roles)
}

func pyDetail(pr pyResult) string {
	switch {
	case pr.Exception != nil:
		return fmt.Sprintf("%s.%s: %s (line %d)", pr.Exception.Module, pr.Exception.Type, pr.Exception.Message, pr.Exception.Line)
	case pr.Outcome == "unknown":
		return fmt.Sprintf("(line %d)", pr.UnknownAt)
	case pr.StartError != "":
		return pr.StartError
	}
	return fmt.Sprint(pr.Roles, pr.UserInfo)
}
