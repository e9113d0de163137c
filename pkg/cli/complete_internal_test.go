package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/spf13/cobra"
)

// A flag named ignore on any command completes a comma-separated list of
// check IDs: the part after the last comma, keeping the IDs before it,
// leaving out those already listed, with no space after (more may
// follow). The command here stands for one that gains --ignore.
func TestCompleteIgnoreAttachesByName(t *testing.T) {
	var out bytes.Buffer
	io := &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &bytes.Buffer{}, Getenv: func(string) string { return "" }}
	f := &cmdutil.Factory{IO: io, G: &cmdutil.Globals{}, Clock: time.Now}
	root := newRootShell(f)
	cmd := &cobra.Command{Use: "gate FILE", RunE: func(*cobra.Command, []string) error { return nil }}
	cmd.Flags().StringSlice("ignore", nil, "check IDs to leave out")
	root.AddCommand(cmd)
	registerCompletions(root)

	ask := func(value string) ([]string, string) {
		out.Reset()
		root.SetArgs([]string{cobra.ShellCompRequestCmd, "gate", "--ignore", value})
		root.SetOut(&out)
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
		var values []string
		for _, l := range lines[:len(lines)-1] {
			v, _, _ := strings.Cut(l, "\t")
			values = append(values, v)
		}
		return values, lines[len(lines)-1]
	}
	var want, names []string
	for _, c := range catalog.Default().All() {
		if strings.HasPrefix(c.ID, "TOK") {
			want = append(want, "CFG001,"+c.ID)
		}
		if strings.HasPrefix(c.Name, "tok") {
			names = append(names, "CFG001,"+c.Name)
		}
	}
	want = append(want, names...) // IDs, then names
	got, directive := ask("CFG001,tok")
	if !slices.Equal(got, want) || directive != ":6" { // NoSpace | NoFileComp
		t.Errorf("--ignore CFG001,tok: %v %s, want %v :6", got, directive, want)
	}
	got, _ = ask("CFG001,CFG00")
	if slices.Contains(got, "CFG001,CFG001") || !slices.Contains(got, "CFG001,CFG002") {
		t.Errorf("--ignore CFG001,CFG00 offers what is listed or misses the rest: %v", got)
	}
	// Names too, and a check listed by name is not offered again by ID.
	kid, _ := catalog.Default().Get("TOK004")
	got, _ = ask(kid.Name + ",TOK00")
	if slices.Contains(got, kid.Name+",TOK004") || !slices.Contains(got, kid.Name+",TOK001") {
		t.Errorf("--ignore %s,TOK00: %v", kid.Name, got)
	}
	if got, _ := ask(strings.ToLower(kid.Name[:3])); !slices.Contains(got, kid.Name) {
		t.Errorf("--ignore by name prefix: %v", got)
	}
	if got, _ := ask(""); len(got) != 2*len(catalog.Default().All()) {
		t.Errorf("--ignore with nothing typed: %d candidates, want every ID and name", len(got))
	}
}

// A config that takes longer to read than completion waits gives no
// candidates instead of a hung TAB.
func TestCompleteProvidersGivesUpOnASlowRead(t *testing.T) {
	path := "../../testdata/configs/multi-provider.py"
	if got := providerNamesWith(config.Load, providersTimeout, path, config.LoadOptions{NoEnv: true}); !slices.Equal(got, []string{"google", "github", "gitlab"}) {
		t.Fatalf("providers of %s: %v", path, got)
	}
	release := make(chan struct{})
	defer close(release)
	slow := func(p string, o config.LoadOptions) (*config.File, error) {
		<-release // a read that outlasts the timeout, whatever the machine's load
		return config.Load(p, o)
	}
	if got := providerNamesWith(slow, 10*time.Millisecond, path, config.LoadOptions{NoEnv: true}); got != nil {
		t.Errorf("a read longer than the timeout gave %v", got)
	}
}
