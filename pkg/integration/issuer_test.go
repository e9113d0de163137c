package integration

import (
	"encoding/json"
	"strings"
	"testing"
)

type issuerResult struct {
	Issuers []struct {
		From   string `json:"from"`
		Issuer string `json:"issuer"`
	} `json:"issuers"`
}

// `authdoctor issuer` with a real token and the real discovery document:
// they agree, and a configured issuer with a trailing slash is caught.
func TestE2E_Issuer_RealTokenAndDiscovery(t *testing.T) {
	t.Parallel()
	id, _ := tokens(t)
	file := writeFile(t, "id.jwt", []byte(id.IDToken))

	t.Run("agree", func(t *testing.T) {
		r := run(t, "", "issuer", file, "--discovery", op.Issuer, "-o", "json")
		r.wantExit(t, 0)
		if len(r.doc.Findings) != 0 {
			t.Errorf("findings %v\n%s", r.ids(), r)
		}
		var res issuerResult
		if err := json.Unmarshal(r.doc.Result, &res); err != nil {
			t.Fatal(err)
		}
		var fromToken, fromDiscovery string
		for _, is := range res.Issuers {
			switch {
			case is.From == "token iss":
				fromToken = is.Issuer
			case strings.HasPrefix(is.From, "discovery"):
				fromDiscovery = is.Issuer
			}
		}
		if fromToken != op.Issuer || fromDiscovery != op.Issuer {
			t.Errorf("issuers from token %q and discovery %q, want both %q\n%s", fromToken, fromDiscovery, op.Issuer, r)
		}
	})
	t.Run("configured with a trailing slash", func(t *testing.T) {
		r := run(t, "", "issuer", file, "--discovery", op.Issuer, "--expect-issuer", op.Issuer+"/", "-o", "json")
		wantOnly(t, r, "ISS001", "ISS001") // against the token's iss and against the discovery issuer
		for _, f := range r.doc.Findings {
			if evidenceMap(f)["difference"] != "trailing slash" {
				t.Errorf("ISS001 evidence %v, want the difference classified as trailing slash", f.Evidence)
			}
		}
	})
	t.Run("access token of the same issuer", func(t *testing.T) {
		_, at := tokens(t)
		r := run(t, "", "issuer", at.AccessToken, "--discovery", op.DiscoveryURL, "--expect-issuer", op.Issuer, "-o", "json")
		r.wantExit(t, 0)
		if len(r.doc.Findings) != 0 {
			t.Errorf("findings %v\n%s", r.ids(), r)
		}
	})
}
