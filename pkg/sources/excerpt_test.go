package sources

import (
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
)

func evidenceOf(t *testing.T, body string) engine.Evidence {
	t.Helper()
	rep := engine.NewReport(catalog.Default(), "verify")
	rep.Add("JWK002", "x", BodyEvidence([]byte(body)))
	if len(rep.Findings) != 1 || len(rep.Findings[0].Evidence) != 1 {
		t.Fatalf("findings %+v", rep.Findings)
	}
	return rep.Findings[0].Evidence[0]
}

// A single private JWK served as a key set was shown in JWK002's "first
// bytes" evidence, its k first (found by the secret-redaction suite,
// pkg/hostile): JSON bodies are described by their member names only.
func TestBodyEvidenceHidesJSON(t *testing.T) {
	const k = "rYChEbN-kH1UHXRXGxJHN4plK6HnUvate7rrfE9uuTt5pVRykYLut1lYQuWLyW0x"
	for body, want := range map[string]string{
		`{"k":"` + k + `","kty":"oct","kid":"a"}`:   "members=k, kid, kty",
		"\ufeff  " + `{"d":"` + k + `","kty":"RSA"`: "body=",
		`[{"kty":"oct","k":"` + k + `"}]`:           "body=",
	} {
		e := evidenceOf(t, body)
		got := e.Key + "=" + e.Value
		if strings.Contains(got, k[:12]) || !strings.HasPrefix(got, want) {
			t.Errorf("%.30s…: evidence %q, want it to start with %q and hide the key", body, got, want)
		}
	}
}

func TestBodyEvidenceShowsPages(t *testing.T) {
	e := evidenceOf(t, "<html><title>Sign in</title></html>")
	if e.Key != "first bytes" || !strings.Contains(e.Value, "Sign in") {
		t.Fatalf("evidence %+v", e)
	}
}
