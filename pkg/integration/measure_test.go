package integration

import (
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// TestMeasureDoctorProviders measures doctor with one and with three
// providers, each behind a server that answers every request after a
// fixed delay (issue 9's budget: three take ≤ 1.2× one). A measurement,
// not a check: it runs only with AUTHDOCTOR_MEASURE=1.
//
//	AUTHDOCTOR_MEASURE=1 go test ./pkg/integration -run TestMeasureDoctorProviders -v
func TestMeasureDoctorProviders(t *testing.T) {
	if os.Getenv("AUTHDOCTOR_MEASURE") == "" {
		t.Skip("a measurement: set AUTHDOCTOR_MEASURE=1 to run it")
	}
	const delay = 300 * time.Millisecond
	ca := testkit.NewCA(t, "authdoctor test root CA")
	var args []string
	var entries []string
	for i := 0; i < 3; i++ {
		h := fmt.Sprintf("slow%d.example.com", i)
		iss := "https://" + h
		doc := mustJSON(map[string]any{"issuer": iss, "jwks_uri": iss + "/keys", "authorization_endpoint": iss + "/auth", "token_endpoint": iss + "/token",
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"}})
		keys := mustJSON(map[string]any{"keys": []any{jwk(entraKeysFor(t), "k", "")}})
		mux := http.NewServeMux()
		mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) { time.Sleep(delay); w.Write(doc) })
		mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) { time.Sleep(delay); w.Write(keys) })
		s := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{h}, CA: ca}, mux)
		args = append(args, "--connect-to", s.ConnectTo[0])
		if i == 0 {
			args = append(args, "--ca-file", s.CAFile)
		}
		entries = append(entries, fmt.Sprintf(`{"name": "p%d", "token_key": "access_token", "remote_app": {"client_id": "c%d", "server_metadata_url": "%s/.well-known/openid-configuration", "client_kwargs": {"scope": "openid email profile"}}}`, i, i, iss))
	}
	cfg := func(n int) string {
		p := writeFile(t, fmt.Sprintf("webserver_config_%d.py", n), []byte("from flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nOAUTH_PROVIDERS = ["+strings.Join(entries[:n], ",\n")+"]\n"))
		return p[1:]
	}
	median := func(n int) time.Duration {
		var ds []time.Duration
		for i := 0; i < 7; i++ {
			start := time.Now()
			run(t, "", append([]string{"doctor", "--config", cfg(n), "-o", "json"}, args...)...)
			ds = append(ds, time.Since(start))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	one, three := median(1), median(3)
	t.Logf("doctor, %v per response: one provider %v, three providers %v: %.2fx (budget <= 1.2x)", delay, one.Round(time.Millisecond), three.Round(time.Millisecond), float64(three)/float64(one))
}
