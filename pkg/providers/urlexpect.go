package providers

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/urlcheck"
)

// URLExpect is what the config says the app sends to the IdP, for the
// provider a browser URL belongs to (by client_id, else the first one).
// authorize maps a provider name to its discovered authorization endpoint,
// used when the config names none. Nil when the config has no provider.
func URLExpect(cfg *fab.Config, p fab.Profile, file, baseURL, clientID string, authorize map[string]string) *urlcheck.Expect {
	var exp *urlcheck.Expect
	for _, pr := range cfg.Providers() {
		if pr.Remote == nil || !pr.NameOK {
			continue
		}
		cid, _ := pr.RemoteStr("client_id")
		authz, _ := pr.RemoteStr("authorize_url")
		if authz == "" {
			authz = authorize[pr.Name]
		}
		cb := fab.PredictCallback(p, cfg, pr.Name, baseURL)
		e := &urlcheck.Expect{Source: fmt.Sprintf("%s:%d", file, pr.Line), ClientID: cid, Authorize: authz,
			WantsOpenID: pr.HasScope("openid") || pr.Name == "azure"}
		if !strings.Contains(cb.URL, "<host>") {
			e.RedirectURI = cb.URL
		}
		if exp == nil || clientID != "" && clientID == cid {
			exp = e
		}
		if clientID != "" && clientID == cid {
			break
		}
	}
	return exp
}
