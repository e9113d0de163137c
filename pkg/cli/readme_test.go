package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
)

// The README shows real output: each block marked
// <!-- authdoctor-output: ARGS --> must be exactly what `authdoctor ARGS`
// prints (piped, so without colour), and the set-up commands must be the
// ones .ci/run runs. With -update the blocks are rewritten from what the
// commands print now (review the diff before committing).
func TestREADMEShowsRealOutput(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)<!-- authdoctor-output: (.*?) -->\n```text\n(.*?)```")
	blocks := re.FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 3 {
		t.Fatalf("found %d marked output blocks in README.md", len(blocks))
	}
	t.Chdir(root)
	updated := string(readme)
	for _, b := range blocks {
		args := strings.Fields(b[1])
		want := b[2]
		if strings.HasPrefix(want, "$ ") {
			want = want[strings.IndexByte(want, '\n')+1:]
		}
		var out, errb bytes.Buffer
		io := &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb, Getenv: func(string) string { return "" }}
		cli.Run(context.Background(), args, io, time.Now)
		if out.String() != want && *update {
			updated = strings.Replace(updated, b[0], strings.Replace(b[0], "```text\n"+b[2], "```text\n"+strings.TrimSuffix(b[2], want)+out.String(), 1), 1)
		} else if out.String() != want {
			t.Errorf("README block for `authdoctor %s` is not what it prints now; run go test ./pkg/cli -run TestREADMEShowsRealOutput -update\n--- got ---\n%s", b[1], out.String())
		}
	}
	if *update && updated != string(readme) {
		if err := os.WriteFile(filepath.Join(root, "README.md"), []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The set-up's main command is the first marked block.
	if !strings.Contains(string(readme), "go run ./cmd/authdoctor "+blocks[0][1]) {
		t.Errorf("the set-up's first command does not run the first example block")
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	testCmd := regexp.MustCompile(`(?m)^npm ci .*go test.*$`).FindString(string(readme))
	if testCmd == "" || !strings.Contains(string(ci), testCmd) {
		t.Errorf(".ci/run must run exactly the README's test command %q", testCmd)
	}
}
