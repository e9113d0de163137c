package issuer

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/idp"
)

// Endpoint is one configured URL (authorize_url, access_token_url,
// api_base_url, jwks_uri, server_metadata_url) with where it was set.
type Endpoint struct {
	Name string
	URL  string
	Line int
}

// Disagreement is one pair of endpoints that cannot belong together.
type Disagreement struct {
	A, B   Endpoint
	What   string // tenant, cloud, version, realm, host, server
	Detail string
}

// versioned reports whether an endpoint's path says its protocol version
// (the authorize and token endpoints and the discovery document; key sets
// hold the same keys in both versions, api_base_url has no version).
func versioned(e Endpoint) bool {
	switch e.Name {
	case "authorize_url", "access_token_url", "server_metadata_url":
		return true
	}
	return false
}

// CompareEndpoints finds endpoints that name different tenants, clouds,
// protocol versions (Entra), realms (Keycloak) or authorization servers
// (Okta). Hosts of other IdPs may legitimately differ (Google serves keys
// from www.googleapis.com), so they are not compared.
func CompareEndpoints(eps []Endpoint) []Disagreement {
	var out []Disagreement
	for i := 0; i < len(eps); i++ {
		for j := i + 1; j < len(eps); j++ {
			a, b := eps[i], eps[j]
			if a.URL == "" || b.URL == "" {
				continue
			}
			pa, pb := idp.Parse(a.URL), idp.Parse(b.URL)
			if pa.IdP != pb.IdP {
				if (pa.IdP == "azure") != (pb.IdP == "azure") && (pa.IdP == "azure" || pb.IdP == "azure") && pa.IdP != "generic" && pb.IdP != "generic" {
					out = append(out, Disagreement{a, b, "host", fmt.Sprintf("%s is %s, %s is %s", a.Name, pa.IdP, b.Name, pb.IdP)})
				}
				continue
			}
			switch pa.IdP {
			case "azure":
				switch {
				case pa.Cloud != pb.Cloud:
					out = append(out, Disagreement{a, b, "cloud", fmt.Sprintf("%s is in the %s cloud (%s), %s in the %s cloud (%s)", a.Name, pa.Cloud, pa.Host, b.Name, pb.Cloud, pb.Host)})
				case pa.Tenant != "" && pb.Tenant != "" && !strings.EqualFold(pa.Tenant, pb.Tenant):
					out = append(out, Disagreement{a, b, "tenant", fmt.Sprintf("%s names tenant %s, %s names %s", a.Name, pa.Tenant, b.Name, pb.Tenant)})
				case versioned(a) && versioned(b) && pa.Version != pb.Version:
					out = append(out, Disagreement{a, b, "version", fmt.Sprintf("%s is a %s endpoint, %s a %s one: a code from one cannot be redeemed at the other, and the token versions differ", a.Name, pa.Version, b.Name, pb.Version)})
				}
			case "keycloak":
				switch {
				case pa.Realm != pb.Realm:
					out = append(out, Disagreement{a, b, "realm", fmt.Sprintf("%s is realm %s, %s realm %s", a.Name, pa.Realm, b.Name, pb.Realm)})
				case pa.Server != pb.Server:
					out = append(out, Disagreement{a, b, "path", fmt.Sprintf("one of %s and %s uses the pre-17 /auth path", a.Name, b.Name)})
				}
			case "okta":
				if pa.Server != pb.Server && a.Name != "api_base_url" && b.Name != "api_base_url" {
					out = append(out, Disagreement{a, b, "server", fmt.Sprintf("%s uses the %s authorization server, %s the %s one", a.Name, pa.Server, b.Name, pb.Server)})
				}
			}
		}
	}
	return out
}
