package discovery_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// TestMeasure times the built binary (whole process) against loopback
// servers. It is a measurement, not a check: run it with
//
//	AUTHDOCTOR_MEASURE=1 go test ./pkg/cmd/discovery -run TestMeasure -v
//
// It reports how long a dead endpoint costs with --timeout 2s, and what
// two concurrent discoveries cost against one.
func TestMeasure(t *testing.T) {
	if os.Getenv("AUTHDOCTOR_MEASURE") == "" {
		t.Skip("set AUTHDOCTOR_MEASURE=1 to measure")
	}
	bin := filepath.Join(t.TempDir(), "authdoctor")
	build := exec.Command("go", "build", "-o", bin, "./cmd/authdoctor")
	build.Dir = testkit.RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	run := func(args ...string) (time.Duration, int) {
		start := time.Now()
		cmd := exec.Command(bin, args...)
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return time.Since(start), code
	}
	median := func(n int, args ...string) (time.Duration, int) {
		var ds []time.Duration
		code := 0
		for range n {
			d, c := run(args...)
			ds = append(ds, d)
			code = c
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2], code
	}

	dead := testkit.StartStalled(t, []string{entraHost})
	d, code := median(3, append([]string{"discovery", issuer, "--timeout", "2s"}, dead.Args()...)...)
	t.Logf("dead endpoint (TCP accepted, no TLS handshake), --timeout 2s: %v (exit %d)", d, code)

	hung := testkit.StartTLS(t, []string{entraHost}, testkit.Hang(t))
	d, code = median(3, append([]string{"discovery", issuer, "--timeout", "2s"}, hung.Args()...)...)
	t.Logf("hung endpoint (TLS done, no response headers), --timeout 2s: %v (exit %d)", d, code)

	for _, latency := range []time.Duration{0, 200 * time.Millisecond} {
		routes := testkit.Routes{
			"a.example.com/.well-known/openid-configuration": testkit.JSON(docFor("a.example.com")),
			"b.example.com/.well-known/openid-configuration": testkit.JSON(docFor("b.example.com")),
			"/keys": testkit.JSON(testkit.Fixture(t, "azure/entra-v2-tenant-9a95fd9e-jwks.2023-11.json")),
		}
		srv := testkit.StartTLS(t, []string{"a.example.com", "b.example.com"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(latency)
			routes.ServeHTTP(w, r)
		}))
		base := append([]string{"--now", now}, srv.Args()...)
		one, c1 := median(7, append([]string{"discovery", "https://a.example.com"}, base...)...)
		two, c2 := median(7, append([]string{"discovery", "https://a.example.com", "https://b.example.com"}, base...)...)
		t.Logf("server latency %v per response: one discovery (document + keys) %v (exit %d); two concurrent %v (exit %d)", latency, one, c1, two, c2)
	}
}

func docFor(h string) []byte {
	return []byte(`{"issuer":"https://` + h + `","authorization_endpoint":"https://` + h + `/authorize","token_endpoint":"https://` + h + `/token",` +
		`"jwks_uri":"https://` + h + `/keys","response_types_supported":["code"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}`)
}
