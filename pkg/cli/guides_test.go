package cli_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/cmd/gendocs/clidocs"
	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/spf13/cobra"
)

// The hand-written docs that show authdoctor commands.
var guideFiles = []string{
	"docs/guides/airflow-entra.md",
	"docs/guides/keycloak-okta-google.md",
	"docs/guides/versions.md",
	"docs/ci/README.md",
	"docs/silencing.md",
	"docs/ci/github-action.md",
	"docs/ci/container.md",
}

func readGuide(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRootDir(t), rel))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return string(b)
}

// runCLI runs one command line in the repository root, piped (no colour),
// with an empty environment, and returns stdout and the exit code.
func runCLI(t *testing.T, args []string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	io := &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb, Getenv: func(string) string { return "" }}
	code := cli.Run(context.Background(), args, io, time.Now)
	if code == 2 || code == 3 {
		t.Errorf("authdoctor %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String(), code
}

// shellWords splits a command line as a POSIX shell would for the simple
// cases the docs use: single and double quotes, backslash-newline already
// joined. It stops at an unquoted |, >, <, ;, & or #.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case strings.IndexByte("|><;&#", c) >= 0:
			if in {
				words = append(words, cur.String())
			}
			return words
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}

var outputBlock = regexp.MustCompile("(?s)<!-- authdoctor-output: (.*?) -->\n```text\n(.*?)```")

// Every block marked <!-- authdoctor-output: ARGS --> is exactly what
// `authdoctor ARGS` prints, run from the repository root. With -update the
// blocks are rewritten (review the diff before committing).
func TestGuidesShowRealOutput(t *testing.T) {
	root := repoRootDir(t)
	t.Chdir(root)
	total := 0
	for _, rel := range guideFiles {
		doc := readGuide(t, rel)
		blocks := outputBlock.FindAllStringSubmatchIndex(doc, -1)
		var b strings.Builder
		last := 0
		for _, m := range blocks {
			total++
			args := doc[m[2]:m[3]]
			want := doc[m[4]:m[5]]
			got, _ := runCLI(t, shellWords(args))
			if got != want && !*update {
				t.Errorf("%s: the block for `authdoctor %s` is not what it prints now; run go test ./pkg/cli -run TestGuidesShowRealOutput -update\n%s", rel, args, lineDiff("guide", want, "prints", got))
			}
			b.WriteString(doc[last:m[4]])
			b.WriteString(got)
			last = m[5]
		}
		b.WriteString(doc[last:])
		if *update && b.String() != doc {
			if err := os.WriteFile(filepath.Join(root, rel), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if total < 5 {
		t.Errorf("only %d marked output blocks in the guides", total)
	}
}

var fence = regexp.MustCompile("(?ms)^```([a-z]*)\n(.*?)^```")

var inlineCommand = regexp.MustCompile("`(authdoctor [^`]+)`")

// commandLines finds every authdoctor invocation in the docs: in code
// blocks (sh, yaml, text with a "$ " prompt; continuation lines joined) and
// in inline code spans outside them.
func commandLines(doc string) []string {
	var out []string
	for _, m := range inlineCommand.FindAllStringSubmatch(fence.ReplaceAllString(doc, ""), -1) {
		out = append(out, m[1])
	}
	start := regexp.MustCompile(`(?:^|[|]\s*|\$\s+|run:\s+|entry:\s+|&&\s*)authdoctor\s`)
	for _, f := range fence.FindAllStringSubmatch(doc, -1) {
		if f[1] == "python" || f[1] == "json" {
			continue
		}
		body := strings.ReplaceAll(f[2], "\\\n", " ")
		for _, line := range strings.Split(body, "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
			if f[1] == "text" && !strings.HasPrefix(line, "$ ") {
				continue
			}
			loc := start.FindStringIndex(line)
			if loc == nil {
				continue
			}
			i := strings.Index(line[loc[0]:], "authdoctor") + loc[0]
			out = append(out, line[i:])
		}
	}
	return out
}

// Every authdoctor command the docs show names a real command and only
// flags that command has (no invented flags), and every check ID they
// mention exists.
func TestGuidesUseRealCommandsFlagsAndChecks(t *testing.T) {
	reg := catalog.Default()
	tree := clidocs.NewRoot()
	tree.InitDefaultCompletionCmd()
	idRe := regexp.MustCompile(`\b[A-Z]{3}[0-9]{3}\b`)
	families := map[string]bool{"CFG": true, "DSC": true, "ISS": true, "JWK": true, "ROL": true, "TOK": true, "URL": true}
	seen := 0
	docs := append([]string{}, guideFiles...)
	docs = append(docs, ".pre-commit-hooks.yaml")
	for _, rel := range docs {
		doc := readGuide(t, rel)
		if rel == ".pre-commit-hooks.yaml" {
			doc = "```yaml\n" + doc + "```\n"
		}
		for _, line := range commandLines(doc) {
			seen++
			words := shellWords(line)[1:]
			cmd, rest, err := tree.Find(words)
			if err != nil || cmd == tree {
				t.Errorf("%s: `%s`: no such command", rel, line)
				continue
			}
			checkFlags(t, rel, line, cmd, rest)
		}
		for _, id := range idRe.FindAllString(doc, -1) {
			if families[id[:3]] {
				if _, ok := reg.Get(id); !ok {
					t.Errorf("%s mentions %s, which is not in the catalogue", rel, id)
				}
			}
		}
	}
	if seen < 40 {
		t.Errorf("found only %d authdoctor command lines in the docs", seen)
	}
}

func checkFlags(t *testing.T, rel, line string, cmd *cobra.Command, args []string) {
	t.Helper()
	cmd.InitDefaultHelpFlag()
	for _, a := range args {
		if a == "--" {
			return
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		name := strings.TrimLeft(a, "-")
		if i := strings.IndexByte(name, '='); i >= 0 {
			name = name[:i]
		}
		var ok bool
		if strings.HasPrefix(a, "--") {
			ok = cmd.Flags().Lookup(name) != nil || cmd.InheritedFlags().Lookup(name) != nil
		} else {
			ok = len(name) == 1 && (cmd.Flags().ShorthandLookup(name) != nil || cmd.InheritedFlags().ShorthandLookup(name) != nil)
		}
		if !ok {
			t.Errorf("%s: `%s`: %s has no flag %s", rel, line, cmd.CommandPath(), a)
		}
	}
}

// Links between the docs resolve: relative files exist, and #anchors
// point at an <a id> or a heading of the target page.
func TestGuidesLinksResolve(t *testing.T) {
	root := repoRootDir(t)
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, rel := range guideFiles {
		doc := readGuide(t, rel)
		for _, m := range link.FindAllStringSubmatch(doc, -1) {
			target := m[1]
			if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			page := doc
			if file != "" {
				p := filepath.Join(root, filepath.Dir(rel), file)
				st, err := os.Stat(p)
				if err != nil {
					t.Errorf("%s links %s, which does not exist", rel, target)
					continue
				}
				if st.IsDir() {
					continue
				}
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				page = string(b)
			}
			if anchor != "" && !strings.Contains(page, `<a id="`+anchor+`"></a>`) && !hasHeadingAnchor(page, anchor) {
				t.Errorf("%s links %s: no such anchor", rel, target)
			}
		}
	}
}

// hasHeadingAnchor applies GitHub's rule: lower case, spaces to hyphens,
// punctuation other than - and _ dropped.
func hasHeadingAnchor(page, anchor string) bool {
	lines := strings.Split(page, "\n")
	heads := headingLines(lines)
	for i, line := range lines {
		if !heads[i] {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		var b strings.Builder
		for _, r := range h {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				b.WriteRune(r)
			}
		}
		if b.String() == anchor {
			return true
		}
	}
	return false
}

// A python block preceded by <!-- file: PATH --> is that file, byte for
// byte, so the worked configs in the guide are the ones the tests run.
func TestGuidesEmbeddedFilesMatch(t *testing.T) {
	re := regexp.MustCompile("(?s)<!-- file: (\\S+) -->\n```[a-z]*\n(.*?)```")
	n := 0
	for _, rel := range guideFiles {
		doc := readGuide(t, rel)
		for _, m := range re.FindAllStringSubmatch(doc, -1) {
			n++
			p := filepath.Join(repoRootDir(t), filepath.Dir(rel), m[1])
			b, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("%s embeds %s: %v", rel, m[1], err)
				continue
			}
			if string(b) != m[2] {
				t.Errorf("%s: the block for %s differs from the file\n%s", rel, m[1], lineDiff("file", string(b), "guide", m[2]))
			}
		}
	}
	if n < 2 {
		t.Errorf("expected the two worked Entra configs embedded, found %d", n)
	}
}

// headingLines marks the lines of a markdown page that are headings
// (outside fenced code blocks, where "# " starts a comment).
func headingLines(lines []string) []bool {
	out := make([]bool, len(lines))
	in := false
	for i, l := range lines {
		if strings.HasPrefix(l, "```") {
			in = !in
			continue
		}
		out[i] = !in && strings.HasPrefix(l, "#")
	}
	return out
}

// guideSection returns the text of the section whose heading contains
// needle, up to the next heading of the same or a higher level.
func guideSection(t *testing.T, doc, needle string) string {
	t.Helper()
	lines := strings.Split(doc, "\n")
	heads := headingLines(lines)
	level := func(l string) int { return len(l) - len(strings.TrimLeft(l, "#")) }
	for i, l := range lines {
		if !heads[i] || !strings.Contains(l, needle) {
			continue
		}
		var b strings.Builder
		for j := i; j < len(lines); j++ {
			if j > i && heads[j] && level(lines[j]) <= level(l) {
				break
			}
			b.WriteString(lines[j] + "\n")
		}
		return b.String()
	}
	t.Errorf("no heading containing %q", needle)
	return ""
}

func findingIDs(t *testing.T, args []string) map[string]bool {
	t.Helper()
	out, _ := runCLI(t, append(args, "-o", "json", "--fail-on", "never"))
	var doc struct {
		Findings []struct {
			ID string `json:"id"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("authdoctor %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	ids := map[string]bool{}
	for _, f := range doc.Findings {
		ids[f.ID] = true
	}
	return ids
}

func sortedIDs(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The symptom sections promise check IDs: each promise is kept by a
// reproduction that runs the command the section recommends (or the one
// that shows the same finding offline) and gets that ID.
func TestGuidesSymptomsReportTheirChecks(t *testing.T) {
	root := repoRootDir(t)
	t.Chdir(root)
	fx := filepath.Join(root, "..", "shared", "fixtures")
	if _, err := os.Stat(fx); err != nil {
		t.Fatalf("the shared fixtures must sit beside the repository (%s): %v", fx, err)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	entra := []string{"--no-env", "--env", "AZURE_TENANT_ID=4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13",
		"--env", "AZURE_CLIENT_ID=8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58", "--env", "AZURE_CLIENT_SECRET=placeholder"}
	af3 := "docs/guides/examples/entra-airflow3-webserver_config.py"
	af2 := "docs/guides/examples/entra-airflow2-webserver_config.py"
	token := "@testdata/examples/azure-id-token.jwt"
	saved := "@testdata/examples/incident/saved.txt"
	at := "2026-11-20T09:20:00Z"
	incident := []string{"doctor", "--config", "testdata/examples/incident/webserver_config.py", "--token", token, "--offline", "--from-file", saved, "--now", at, "--no-env"}
	// A TLS server whose certificate no one trusts (DSC001/JWK001), and
	// the same server trusted through --ca-file, answering 404 (DSC001 at
	// the HTTP stage).
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	caFile := write("ca.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})))

	// Keycloak access token with aud "account" (signature irrelevant to TOK008).
	kcAccess := unsignedJWT(t, map[string]any{"alg": "RS256", "kid": "kf46eDlB9jtz2PpktQ6NQSfRwoU_tT3NqxlI8C4MGvQ"},
		map[string]any{"iss": "https://sso.example.com/realms/data", "aud": "account", "azp": "airflow", "sub": "u1",
			"exp": 1900000000, "iat": 1800000000, "typ": "Bearer"})

	superset := write("superset_config.py", `import os
from flask_appbuilder.security.manager import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"
AUTH_ROLES_MAPPING = {"superset_admins": ["Admin"]}
OAUTH_PROVIDERS = [{
    "name": "azure", "icon": "fa-windows", "token_key": "access_token",
    "remote_app": {
        "client_id": "8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58",
        "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
        "api_base_url": "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/v2.0",
        "server_metadata_url": "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/v2.0/.well-known/openid-configuration",
        "client_kwargs": {"scope": "openid email profile", "verify_signature": True},
    },
}]
`)
	noProviders := write("webserver_config.py", "from flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nAUTH_USER_REGISTRATION = True\n")
	keycloak := write("kc_webserver_config.py", `import os
from flask_appbuilder.const import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_ROLES_SYNC_AT_LOGIN = True
OAUTH_PROVIDERS = [{
    "name": "keycloak", "icon": "fa-key", "token_key": "access_token",
    "remote_app": {
        "client_id": "airflow",
        "client_secret": os.environ.get("KEYCLOAK_CLIENT_SECRET"),
        "server_metadata_url": "https://sso.example.com/realms/data/.well-known/openid-configuration",
        "api_base_url": "https://sso.example.com/realms/data/protocol/openid-connect",
        "client_kwargs": {"scope": "openid email profile"},
    },
}]
AUTH_ROLES_MAPPING = {"airflow-admins": ["Admin"]}
`)
	realmRoles := write("userinfo.json", `{"sub": "b00f", "preferred_username": "dana", "email": "dana@example.com", "realm_access": {"roles": ["airflow-admins"]}}`)
	okta := func(name, scope, base string) string {
		return write(name+"_webserver_config.py", `import os
from flask_appbuilder.const import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
OAUTH_PROVIDERS = [{
    "name": "okta", "icon": "fa-circle-o", "token_key": "access_token",
    "remote_app": {
        "client_id": "0oa1b2c3d4e5f6g7h8i9",
        "client_secret": os.environ.get("OKTA_CLIENT_SECRET"),
        "server_metadata_url": "https://dev-69785679.okta.com/oauth2/default/.well-known/openid-configuration",
        "api_base_url": "`+base+`",
        "client_kwargs": {"scope": "`+scope+`"},
    },
}]
AUTH_ROLES_MAPPING = {"airflow-admins": ["Admin"]}
`)
	}
	google := func(name, base string) string {
		return write(name+"_webserver_config.py", `import os
from flask_appbuilder.const import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
OAUTH_PROVIDERS = [{
    "name": "google", "icon": "fa-google", "token_key": "access_token",
    "remote_app": {
        "client_id": "123.apps.googleusercontent.com",
        "client_secret": os.environ.get("GOOGLE_CLIENT_SECRET"),
        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
        "api_base_url": "`+base+`",
        "client_kwargs": {"scope": "openid email profile"},
    },
}]
AUTH_ROLES_MAPPING = {"airflow-admins@example.com": ["Admin"]}
`)
	}
	authorizeHTTP := "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/oauth2/v2.0/authorize?response_type=code&client_id=8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58" +
		"&redirect_uri=http%3A%2F%2Fairflow.example.com%2Fauth%2Foauth-authorized%2Fazure&scope=openid+email+profile&state=abc&nonce=xyz"
	authorizeOtherClient := "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/oauth2/v2.0/authorize?response_type=code&client_id=11111111-2b9d-4f06-a1e4-6d7f0b2c9a58" +
		"&redirect_uri=https%3A%2F%2Fairflow.example.com%2Foauth-authorized%2Fazure&scope=openid+email+profile&state=abc&nonce=xyz"
	kcDoc := "https://sso.example.com/realms/demorealm/.well-known/openid-configuration=" + filepath.Join(fx, "keycloak", "keycloak-openid-configuration.demorealm.2023-10.json")
	lagoonDoc := "https://keycloak.example.com/realms/lagoon/.well-known/openid-configuration=" + filepath.Join(fx, "keycloak", "keycloak-legacy-auth-prefix-openid-configuration.lagoon.json")
	oktaTok := "@" + filepath.Join(fx, "tokens", "okta-access-token.custom-as-default.2023-11.jwt")

	cases := []struct {
		guide, heading string
		ids            []string
		args           []string
	}{
		// docs/guides/airflow-entra.md
		{"airflow-entra", "Invalid JSON Web Key Set", []string{"TOK004"}, []string{"verify", token, "--jwks", "@testdata/examples/incident/common-jwks.json", "--now", at, "--offline"}},
		{"airflow-entra", "Invalid JSON Web Key Set", []string{"ISS005"}, incident},
		{"airflow-entra", "Invalid JSON Web Key Set", []string{"CFG007"}, append([]string{"lint", "--flavor", "airflow-2.9", af2}, entra...)},
		{"airflow-entra", "Invalid JSON Web Key Set", []string{"TOK009"}, []string{"verify", "@" + filepath.Join(fx, "tokens", "entra-v1-graph-access-token.nonce-header.2019-01.jwt"), "--offline"}},
		{"airflow-entra", `Missing "jwks_uri" in metadata`, []string{"CFG004"}, []string{"lint", "--no-env", "testdata/lint/CFG004-fires.py"}},
		{"airflow-entra", "Error returning OAuth user info: 'upn'", []string{"ROL006"}, append([]string{"roles", "--config", af3, "--claims", "@docs/guides/examples/claims-no-email.json"}, entra...)},
		{"airflow-entra", "Error returning OAuth user info: 'id_token'", []string{"CFG014"}, incident},
		{"airflow-entra", "Error returning OAuth user info: 'oauth_token'", []string{"CFG005"}, incident},
		{"airflow-entra", "Invalid login. Please try again.", []string{"CFG011"}, []string{"lint", "--no-env", "testdata/lint/CFG011-fires.py"}},
		{"airflow-entra", "AADSTS50011", []string{"URL003"}, []string{"url", authorizeHTTP}},
		{"airflow-entra", "AADSTS50011", []string{"URL003", "URL005"}, append([]string{"doctor", "--config", af3, "--flavor", "airflow3", "--offline", "--from-file", saved,
			"--base-url", "https://airflow.example.com", "--url", authorizeOtherClient}, entra...)},
		{"airflow-entra", "AADSTS50011", []string{"CFG008"}, append([]string{"lint", "--base-url", "https://airflow.example.com", af3}, entra...)},
		{"airflow-entra", "mismatching_state", []string{"CFG016"}, []string{"lint", "--no-env", "testdata/lint/CFG016-fires.py"}},
		{"airflow-entra", `Invalid claim "iss"`, []string{"ISS001"}, []string{"issuer", token, "--expect-issuer", "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/v2.0/", "--offline"}},
		{"airflow-entra", `Invalid claim "iss"`, []string{"ISS002"}, []string{"issuer", token, "--expect-issuer", "https://sts.windows.net/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/", "--offline"}},
		{"airflow-entra", `Invalid claim "iss"`, []string{"ISS003"}, []string{"issuer", token, "--tenant", "common", "--offline"}},
		{"airflow-entra", `Invalid claim "iss"`, []string{"ISS004"}, []string{"issuer", token, "--tenant", "11111111-2222-3333-4444-555555555555", "--offline"}},
		{"airflow-entra", `Invalid claim "iss"`, []string{"ISS006"}, []string{"issuer", token, "--tenant", "contoso.onmicrosoft.com", "--offline"}},
		{"airflow-entra", `Invalid claim "iss"`, []string{"ISS007"}, []string{"issuer", token, "--expect-issuer", "https://login.microsoftonline.us/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/v2.0", "--offline"}},
		{"airflow-entra", `Invalid claim "iss"`, []string{"ROL006"}, []string{"roles", "--config", "testdata/lint/ROL004-fires.py", "--flavor", "airflow3", "--no-env", token}},
		{"airflow-entra", `Invalid claim "aud"`, []string{"TOK008"}, []string{"verify", token, "--jwks", "@testdata/examples/azure-tenant-jwks.json", "--audience", "api://8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58", "--now", at, "--offline"}},
		{"airflow-entra", "The token is expired", []string{"TOK006"}, []string{"verify", token, "--jwks", "@testdata/examples/azure-tenant-jwks.json", "--now", "2026-11-21T09:00:00Z", "--offline"}},
		{"airflow-entra", "The token is expired", []string{"TOK007"}, []string{"verify", token, "--jwks", "@testdata/examples/azure-tenant-jwks.json", "--now", "2026-11-20T08:00:00Z", "--offline"}},
		{"airflow-entra", "Your user has no roles and/or permissions!", []string{"ROL003"}, []string{"roles", "--config", "testdata/configs/azure-airflow-docs.py", "--no-env", token}},
		{"airflow-entra", "ERR_TOO_MANY_REDIRECTS", []string{"ROL003"}, []string{"roles", "--config", superset, "--no-env", token}},
		{"airflow-entra", "KeyError: 'OAUTH_PROVIDERS'", []string{"CFG003"}, []string{"lint", "--no-env", noProviders}},
		{"airflow-entra", "AzureTenantResolutionError", []string{"CFG015"}, []string{"lint", "--no-env", "--flavor", "airflow3", "testdata/lint/CFG015-fires.py"}},
		{"airflow-entra", "role mapping does nothing", []string{"ROL004"}, []string{"lint", "--no-env", "--flavor", "airflow3", "testdata/lint/ROL004-fires.py"}},
		{"airflow-entra", "role mapping does nothing", []string{"ROL001"}, []string{"lint", "--no-env", "testdata/lint/ROL001-fires.py"}},
		{"airflow-entra", "role mapping does nothing", []string{"ROL002"}, []string{"lint", "--no-env", "testdata/lint/ROL002-fires.py"}},
		{"airflow-entra", "role mapping does nothing", []string{"ROL005"}, []string{"lint", "--no-env", "testdata/lint/ROL005-fires.py"}},
		{"airflow-entra", "role mapping does nothing", []string{"ROL008"}, []string{"token", "@" + filepath.Join(fx, "tokens", "entra-v1-access-token.groups-overage.2014-07.jwt")}},
		{"airflow-entra", "airflow.www", []string{"CFG012"}, []string{"lint", "--no-env", "--flavor", "airflow3", "testdata/lint/CFG012-fires.py"}},
		{"airflow-entra", "The request to sign in was denied.", []string{"CFG004"}, []string{"lint", "--no-env", "testdata/lint/CFG004-fires.py"}},
		{"airflow-entra", "The request to sign in was denied.", []string{"TOK004"}, []string{"verify", token, "--jwks", "@testdata/examples/incident/common-jwks.json", "--now", at, "--offline"}},
		{"airflow-entra", "The request to sign in was denied.", []string{"ISS001"}, []string{"issuer", token, "--expect-issuer", "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/v2.0/", "--offline"}},
		{"airflow-entra", "Invalid login. Please try again.", []string{"CFG005", "CFG014"}, incident},
		{"airflow-entra", "Invalid login. Please try again.", []string{"ROL006"}, append([]string{"roles", "--config", af3, "--claims", "@docs/guides/examples/claims-no-email.json"}, entra...)},
		{"airflow-entra", "Invalid login. Please try again.", []string{"CFG015"}, []string{"lint", "--no-env", "--flavor", "airflow3", "testdata/lint/CFG015-fires.py"}},
		{"airflow-entra", "Other `AADSTSnnnnn` codes", []string{"URL001"}, []string{"url", "https://airflow.example.com/oauth-authorized/azure?error=invalid_client&error_description=AADSTS7000215%3A+Invalid+client+secret+provided."}},
		{"airflow-entra", "CERTIFICATE_VERIFY_FAILED", []string{"DSC007"}, []string{"discovery", tlsSrv.URL + "/realms/x", "--insecure", "--no-jwks"}},
		{"airflow-entra", "CERTIFICATE_VERIFY_FAILED", []string{"DSC001", "JWK001"}, []string{"doctor", "--config", write("tls_webserver_config.py", strings.ReplaceAll(`import os
from flask_appbuilder.const import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
OAUTH_PROVIDERS = [{"name": "keycloak", "token_key": "access_token", "remote_app": {
    "client_id": "airflow", "client_secret": os.environ.get("S"),
    "server_metadata_url": "URL/realms/x/.well-known/openid-configuration",
    "jwks_uri": "URL/realms/x/protocol/openid-connect/certs",
    "api_base_url": "URL/realms/x/protocol/openid-connect",
    "client_kwargs": {"scope": "openid email profile"}}}]
`, "URL", tlsSrv.URL)), "--no-env", "--timeout", "5s"}},

		// docs/guides/keycloak-okta-google.md
		{"keycloak-okta-google", "frontend URL", []string{"DSC004", "DSC005"}, []string{"discovery", "https://sso.example.com/realms/demorealm", "--offline", "--no-jwks", "--from-file", kcDoc}},
		{"keycloak-okta-google", "frontend URL", []string{"ISS001"}, []string{"issuer", "@" + filepath.Join(fx, "tokens", "keycloak-id-token.2023-10.jwt"), "--expect-issuer", "https://sso.example.com/realms/demorealm", "--offline"}},
		{"keycloak-okta-google", "/auth", []string{"DSC004"}, []string{"discovery", "https://keycloak.example.com/realms/lagoon", "--offline", "--no-jwks", "--from-file", lagoonDoc}},
		{"keycloak-okta-google", "/auth", []string{"DSC001"}, []string{"discovery", tlsSrv.URL + "/realms/data", "--ca-file", caFile, "--no-jwks"}},
		{"keycloak-okta-google", "realm roles", []string{"ROL003"}, []string{"roles", "--config", keycloak, "--claims", "@" + realmRoles, "--no-env"}},
		{"keycloak-okta-google", `aud: "account"`, []string{"TOK008"}, []string{"verify", kcAccess, "--jwks", "@" + filepath.Join(fx, "keycloak", "keycloak-jwks.demorealm.2023-10.json"), "--audience", "airflow", "--offline", "--now", "2030-01-01T00:00:00Z"}},
		{"keycloak-okta-google", "api_base_url", []string{"CFG013"}, []string{"lint", "--no-env", "testdata/lint/CFG013-fires.py"}},
		{"keycloak-okta-google", "Okta: org or custom", []string{"ISS001"}, []string{"issuer", oktaTok, "--expect-issuer", "https://dev-69785679.okta.com", "--offline"}},
		{"keycloak-okta-google", "Okta: org or custom", []string{"DSC004"}, []string{"discovery", "https://login.example.com/oauth2/default", "--offline", "--no-jwks", "--from-file",
			"https://login.example.com/oauth2/default/.well-known/openid-configuration=" + filepath.Join(fx, "okta", "okta-custom-as-default-openid-configuration.2023-11.json")}},
		{"keycloak-okta-google", "Okta: no groups", []string{"CFG014"}, []string{"lint", "--no-env", okta("okta_nogroups", "openid email profile", "https://dev-69785679.okta.com/oauth2/default/v1/")}},
		{"keycloak-okta-google", "Okta: `api_base_url`", []string{"CFG013"}, []string{"lint", "--no-env", okta("okta_noslash", "openid email profile groups", "https://dev-69785679.okta.com/oauth2/default/v1")}},
		{"keycloak-okta-google", "Google: the role mapping", []string{"ROL004", "ROL005"}, []string{"lint", "--no-env", google("google_mapping", "https://www.googleapis.com/oauth2/v2/")}},
		{"keycloak-okta-google", "Google: the role mapping", []string{"ROL006"}, []string{"roles", "--config", "docs/guides/examples/google-webserver_config.py", "--env-file", "docs/guides/examples/idp.env", "--no-env",
			"--claims", "@" + write("google-userinfo.json", `{"id": "1", "email": "eve@elsewhere.example"}`)}},
		{"keycloak-okta-google", "Google: issuer", []string{"DSC003"}, []string{"discovery", "https://accounts.google.com", "--offline", "--no-jwks", "--from-file",
			"https://accounts.google.com/.well-known/openid-configuration=" + filepath.Join(fx, "google", "google-openid-configuration.2015-legacy-issuer-no-scheme.json")}},
		{"keycloak-okta-google", "Google: `api_base_url`", []string{"CFG013"}, []string{"lint", "--no-env", google("google_noslash", "https://www.googleapis.com/oauth2/v2")}},
	}
	docs := map[string]string{}
	for _, c := range cases {
		if _, ok := docs[c.guide]; !ok {
			docs[c.guide] = readGuide(t, "docs/guides/"+c.guide+".md")
		}
		sec := guideSection(t, docs[c.guide], c.heading)
		for _, id := range c.ids {
			if !strings.Contains(sec, id) {
				t.Errorf("%s, section %q does not name %s", c.guide, c.heading, id)
			}
		}
		got := findingIDs(t, c.args)
		for _, id := range c.ids {
			if !got[id] {
				t.Errorf("%s, section %q: `authdoctor %s` reports %v, not %s", c.guide, c.heading, strings.Join(c.args, " "), sortedIDs(got), id)
			}
		}
	}
}

// unsignedJWT builds a JWS whose signature is 256 bytes of filler: enough
// for the claim checks that do not depend on the signature.
func unsignedJWT(t *testing.T, header, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(header) + "." + enc(claims) + "." + base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0x5a}, 256))
}
