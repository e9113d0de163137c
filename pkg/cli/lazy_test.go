package cli_test

import (
	"strings"
	"testing"
)

// A run builds only the command it names (start-up, #9). These command
// lines must behave exactly as they would with the whole tree: root flags
// before the command, with their values separate or attached, and the
// lines that need the whole tree (help, completion, unknown commands).
func TestOneCommandLinesBehaveAsWithTheWholeTree(t *testing.T) {
	v2 := "@" + fixture(t, "tokens/entra-v2-id-token.2019-01.jwt")
	at := "2019-01-30T00:00:00Z"
	cases := []struct {
		name string
		args []string
		code int
		want string // on stdout, or stderr when the exit code is 2
	}{
		{"root value flag before the command", []string{"--now", at, "token", v2}, 0, "Azure Entra ID v2.0 ID token"},
		{"root flag=value before the command", []string{"--now=" + at, "-o", "json", "token", v2}, 0, `"schemaVersion"`},
		{"shorthand with attached value", []string{"-ojson", "--now", at, "token", v2}, 0, `"schemaVersion"`},
		{"duration flag before the command", []string{"--leeway", "5m", "--now", at, "token", v2}, 0, "Azure Entra ID v2.0 ID token"},
		{"a flag value that is a command name", []string{"--now", "version", "--color", "never", "token", v2}, 2, "--now"},
		{"help for one command", []string{"help", "token"}, 0, "authdoctor token [TOKEN|-|@FILE]"},
		{"--help after the command", []string{"token", "--help"}, 0, "authdoctor token [TOKEN|-|@FILE]"},
		{"root help lists every command", []string{"--help"}, 0, "verify "},
		{"completion", []string{"completion", "bash"}, 0, "bash completion"},
		{"__complete sees every command", []string{"__complete", "ve"}, 0, "verify"},
		{"unknown command still suggests", []string{"tokn"}, 2, "Did you mean this?\n\ttoken"},
		{"no command", []string{}, 0, "Available Commands"},
		{"-- before anything is root help, as cobra does", []string{"--", "token"}, 0, "Available Commands"},
	}
	for _, c := range cases {
		r := execCLI(t, "", nil, false, c.args...)
		if r.code != c.code {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", c.name, r.code, c.code, r.stdout, r.stderr)
			continue
		}
		got := r.stdout
		if c.code == 2 {
			got = r.stderr
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: output lacks %q:\n%s", c.name, c.want, got)
		}
	}
	// Every command of the root help is also reachable by itself, and
	// --help of each names the command (the lazy table and the command
	// constructors agree on names).
	help := execCLI(t, "", nil, false, "--help").stdout
	_, list, _ := strings.Cut(help, "Available Commands:")
	list, _, _ = strings.Cut(list, "\n\n")
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		name := strings.Fields(line)[0]
		if name == "help" || name == "completion" {
			continue
		}
		n++
		r := execCLI(t, "", nil, false, name, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "authdoctor "+name) {
			t.Errorf("%s --help: exit %d\n%s%s", name, r.code, r.stdout, r.stderr)
		}
	}
	if n != 14 {
		t.Errorf("root help lists %d commands besides help and completion, want 14:\n%s", n, list)
	}
}
