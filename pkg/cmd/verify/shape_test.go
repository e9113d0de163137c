package verify

import (
	"bytes"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
)

// The command shape: NewCmd binds the flags into Options and hands them to
// the runF a test gives, without running anything.
func TestNewCmdHandsOptionsToRunF(t *testing.T) {
	var out bytes.Buffer
	f := &cmdutil.Factory{IO: &cmdutil.IOStreams{Out: &out, ErrOut: &out}, G: &cmdutil.Globals{Output: "json"}, Clock: time.Now}
	var got *Options
	cmd := NewCmd(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"tok", "--jwks", "@keys.json", "--audience", "a", "--audience", "b", "--tenant", "contoso.onmicrosoft.com", "--offline"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.JWKS != "@keys.json" || len(got.Audiences) != 2 || got.Tenant != "contoso.onmicrosoft.com" ||
		!got.Net.Offline || len(got.Args) != 1 || got.Args[0] != "tok" || got.Reg == nil || got.G.Output != "json" {
		t.Fatalf("options %+v", got)
	}
	if out.Len() != 0 {
		t.Errorf("runF ran, yet the command wrote %q", out.String())
	}
}
