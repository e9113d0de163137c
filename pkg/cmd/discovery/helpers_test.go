package discovery_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

type finding struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	Subject  struct {
		URL, File, Name string
	} `json:"subject"`
	Evidence []struct{ Key, Value string } `json:"evidence"`
}

func (f finding) ev(key string) string {
	for _, e := range f.Evidence {
		if e.Key == key {
			return e.Value
		}
	}
	return ""
}

type report struct {
	Command  string    `json:"command"`
	Findings []finding `json:"findings"`
	Skipped  []struct {
		ID, Reason string
	} `json:"skipped"`
	Result json.RawMessage `json:"result"`
	code   int
	stderr string
}

func (r *report) ids() []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.ID+":"+f.Severity)
	}
	sort.Strings(out)
	return out
}

func (r *report) get(t *testing.T, id string) finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("no %s finding; have %v (stderr %q)", id, r.ids(), r.stderr)
	return finding{}
}

func (r *report) skipReason(id string) string {
	for _, s := range r.Skipped {
		if s.ID == id {
			return s.Reason
		}
	}
	return ""
}

// runJSON runs the CLI with -o json and decodes the report.
func runJSON(t *testing.T, args ...string) *report {
	t.Helper()
	out, errOut, code := clitest.RunCLI(t, append(args, "-o", "json")...)
	r := &report{code: code, stderr: errOut}
	if err := json.Unmarshal([]byte(out), r); err != nil {
		t.Fatalf("exit %d, output is not JSON: %v\nstdout: %s\nstderr: %s", code, err, out, errOut)
	}
	return r
}

func wantIDs(t *testing.T, r *report, want ...string) {
	t.Helper()
	sort.Strings(want)
	if got := r.ids(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findings %v, want %v", got, want)
		for _, f := range r.Findings {
			t.Logf("  %s %s: %s", f.ID, f.Severity, f.Message)
		}
	}
}

type docResult struct {
	Input             string `json:"input"`
	URL               string `json:"url"`
	WellKnownAppended bool   `json:"wellKnownAppended"`
	File              string `json:"file"`
	Skipped           string `json:"skipped"`
	Kind              string `json:"kind"`
	Provider          *struct {
		Name, Description string
	} `json:"provider"`
	Notes    []string        `json:"notes"`
	Document json.RawMessage `json:"document"`
	Fetch    *fetchRecord    `json:"fetch"`
	JWKS     *setResult      `json:"jwks"`
}

type fetchRecord struct {
	URL         string `json:"url"`
	FinalURL    string `json:"finalUrl"`
	Status      int    `json:"status"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Timings     struct {
		TotalMs float64 `json:"totalMs"`
		TLSMs   float64 `json:"tlsMs"`
	} `json:"timings"`
	Redirects []struct {
		From, To string
		Status   int
	} `json:"redirects"`
	Insecure bool `json:"insecure"`
	Error    *struct {
		Stage, Reason string
	} `json:"error"`
}

type setResult struct {
	URL     string       `json:"url"`
	File    string       `json:"file"`
	Skipped string       `json:"skipped"`
	Fetch   *fetchRecord `json:"fetch"`
	Keys    []struct {
		KID        string `json:"kid"`
		KTY        string `json:"kty"`
		Bits       int    `json:"bits"`
		Thumbprint string `json:"thumbprint"`
		Issuer     string `json:"issuer"`
		Usable     bool   `json:"usableForSignatures"`
	} `json:"keys"`
	Usable int `json:"usableForSignatures"`
}

type discoveryResult struct {
	TLSVerification string       `json:"tlsVerification"`
	Discoveries     []*docResult `json:"discoveries"`
}

func (r *report) discovery(t *testing.T) *discoveryResult {
	t.Helper()
	var d discoveryResult
	if err := json.Unmarshal(r.Result, &d); err != nil {
		t.Fatalf("result: %v", err)
	}
	return &d
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
