package idp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Every host of spec/idp.md §4.1 (and §1.1's aliases) is an Entra login
// host of its cloud; lookalikes are not.
func TestEntraHostsPerCloudAsTheSpecLists(t *testing.T) {
	want := map[string]string{
		"login.microsoftonline.com":        "global",
		"login.windows.net":                "global",
		"login.microsoft.com":              "global",
		"sts.windows.net":                  "global",
		"LOGIN.MicrosoftOnline.com":        "global",
		"login.microsoftonline.com.":       "global",
		"login.microsoftonline.us":         "usgov",
		"login.usgovcloudapi.net":          "usgov",
		"login-us.microsoftonline.com":     "usgov",
		"login.partner.microsoftonline.cn": "china",
		"login.chinacloudapi.cn":           "china",
		"login.microsoftonline.de":         "germany",
		"login.sovcloud-identity.fr":       "bleu",
		"login.sovcloud-identity.de":       "delos",
		"login.sovcloud-identity.sg":       "govsg",
		// Not login hosts of a cloud.
		"graph.microsoft.com":            "",
		"login.microsoftonline.com.evil": "",
		"evil-login.microsoftonline.com": "",
		"contoso.b2clogin.com":           "",
		"contoso.ciamlogin.com":          "",
		"sts.chinacloudapi.cn":           "", // not in the spec (unverified there)
		"":                               "",
	}
	for host, cloud := range want {
		if got := EntraCloud(host); got != cloud {
			t.Errorf("EntraCloud(%q) = %q, want %q", host, got, cloud)
		}
	}
}

// Microsoft's instance-discovery document (a real response) names no
// host the table misses, and every alias it groups is in one cloud.
func TestEntraHostsCoverInstanceDiscovery(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "azure", "entra-instance-discovery-response.json"))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	var doc struct {
		Metadata []struct {
			Preferred string   `json:"preferred_network"`
			Aliases   []string `json:"aliases"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Metadata) < 4 {
		t.Fatalf("fixture unreadable: %v", err)
	}
	for _, m := range doc.Metadata {
		cloud := EntraCloud(m.Preferred)
		if cloud == "" {
			t.Errorf("%s is not recognised", m.Preferred)
		}
		for _, a := range m.Aliases {
			if c := EntraCloud(a); c != cloud {
				t.Errorf("alias %s is in cloud %q, its preferred host %s in %q", a, c, m.Preferred, cloud)
			}
		}
	}
}

func TestLoginHostAndCloudName(t *testing.T) {
	for cloud, host := range map[string]string{"global": "login.microsoftonline.com", "usgov": "login.microsoftonline.us",
		"china": "login.partner.microsoftonline.cn", "": "login.microsoftonline.com", "nowhere": "login.microsoftonline.com"} {
		if got := LoginHost(cloud); got != host {
			t.Errorf("LoginHost(%q) = %q, want %q", cloud, got, host)
		}
	}
	if got := CloudName("germany"); got != "Germany cloud, closed 29 Oct 2021" {
		t.Errorf("CloudName(germany) = %q", got)
	}
}

func TestParseAuthorities(t *testing.T) {
	cases := []struct {
		url                         string
		idp, cloud, tenantKind, ver string
	}{
		{"https://login.microsoftonline.com/common/v2.0", "azure", "global", "common", "v2"},
		{"https://login.microsoftonline.com/{tenantid}/v2.0", "azure", "global", "template", "v2"},
		{"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/", "azure", "global", "guid", "v1"},
		{"https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/authorize", "azure", "usgov", "domain", "v2"},
		{"https://login.partner.microsoftonline.cn/organizations/oauth2/token", "azure", "china", "organizations", "v1"},
		{"https://login-us.microsoftonline.com/common/oauth2/token", "azure", "usgov", "common", "v1"},
		{"https://login.sovcloud-identity.fr/contoso/v2.0", "azure", "bleu", "name", "v2"},
		{"https://fabrikamb2c.b2clogin.com/775527ff-9a37-4307-8b3d-cc311f58d925/v2.0/", "azure", "global", "guid", "v2"},
		{"https://fabrikamb2c.b2clogin.com/tfp/775527ff-9a37-4307-8b3d-cc311f58d925/b2c_1_susi/v2.0/", "azure", "global", "guid", "v2"},
		{"https://sso.example.com/auth/realms/x", "keycloak", "", "", ""},
		{"https://kc.example.com/realms/adfs", "keycloak", "", "", ""},
		{"https://dev-1.okta.com/oauth2/default", "okta", "", "", ""},
		{"https://ec2.example.com/adfs/services/trust", "adfs", "", "", ""},
		{"https://EC2.example.com/ADFS", "adfs", "", "", ""},
		{"accounts.google.com", "google", "", "", ""},
		{"https://x.us.auth0.com/", "auth0", "", "", ""},
		{"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", "cognito", "", "", ""},
		{"https://idp.example.com/adfsish", "generic", "", "", ""},
		{"", "generic", "", "", ""},
		{"::not a url", "generic", "", "", ""},
	}
	for _, c := range cases {
		a := Parse(c.url)
		if a.IdP != c.idp || a.Cloud != c.cloud || a.TenantKind != c.tenantKind || a.Version != c.ver {
			t.Errorf("Parse(%q) = %+v", c.url, a)
		}
	}
	if a := Parse("https://sso.example.com/auth/realms/x"); a.Server != "pre-17" || a.Realm != "x" {
		t.Errorf("keycloak pre-17: %+v", a)
	}
	if a := Parse("https://dev-1.okta.com"); a.Server != "org" {
		t.Errorf("okta org: %+v", a)
	}
	if a := Parse("https://dev-1.okta.com/oauth2/v1/authorize"); a.Server != "org" {
		t.Errorf("okta org endpoint: %+v", a)
	}
	if a := Parse("https://dev-1.okta.com/oauth2/aus1/v1/keys"); a.Server != "custom:aus1" {
		t.Errorf("okta custom: %+v", a)
	}
	if a := Parse("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool/.well-known/jwks.json"); a.Realm != "eu-west-1_Pool" {
		t.Errorf("cognito pool: %+v", a)
	}
	if a := Parse("https://contoso.b2clogin.com/contoso.onmicrosoft.com/b2c_1_signin/v2.0/"); a.Variant != "b2c" || a.Tenant != "contoso.onmicrosoft.com" {
		t.Errorf("b2c: %+v", a)
	}
	if a := Parse("https://contoso.ciamlogin.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/v2.0"); a.Variant != "external-id" || a.IdP != "azure" {
		t.Errorf("external id: %+v", a)
	}
}

func TestTenantKindAndGUID(t *testing.T) {
	for in, want := range map[string]string{
		"common": "common", "Organizations": "organizations", "consumers": "consumers", "{tenantid}": "template",
		"4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13": "guid", "4F7B2C1E-3D5A-4E8F-9B61-2A0C7D9E5F13": "guid",
		"contoso.onmicrosoft.com": "domain", "contoso": "name", "": "",
	} {
		if got := TenantKind(in); got != want {
			t.Errorf("TenantKind(%q) = %q, want %q", in, got, want)
		}
	}
	for _, s := range []string{"4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f1", "4f7b2c1e-3d5a-4e8f-9b61_2a0c7d9e5f13", "gf7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13"} {
		if IsGUID(s) {
			t.Errorf("IsGUID(%q) = true", s)
		}
	}
}

func TestIsGUID(t *testing.T) {
	yes := []string{"4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13", "72F988BF-86F1-41AF-91AB-2D7CD011DB47", "00000000-0000-0000-0000-000000000000"}
	no := []string{"", "common", "4f7b2c1e3d5a4e8f9b612a0c7d9e5f13", "{4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13}",
		"4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f1", "4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f134", "4f7b2c1e-3d5a-4e8f-9b61_2a0c7d9e5f13",
		"4f7b2c1g-3d5a-4e8f-9b61-2a0c7d9e5f13", "4f7b2c1e-3d5a-4e8f-9b6-12a0c7d9e5f13", "contoso.onmicrosoft.com"}
	for _, s := range yes {
		if !IsGUID(s) {
			t.Errorf("IsGUID(%q) = false", s)
		}
	}
	for _, s := range no {
		if IsGUID(s) {
			t.Errorf("IsGUID(%q) = true", s)
		}
	}
}

func TestPlaceholder(t *testing.T) {
	for in, want := range map[string]string{
		"https://login.microsoftonline.com/<tenant>/v2.0":                        "<tenant>",
		"https://login.microsoftonline.com/%3Ctenant-id%3E/v2.0":                 "<tenant-id>",
		"https://login.microsoftonline.com/{tenant}/v2.0":                        "{tenant}",
		"https://login.microsoftonline.com/{tenantid}/v2.0":                      "{tenantid}",
		"https://login.microsoftonline.com/your-tenant-id/v2.0":                  "your-tenant-id",
		"https://login.microsoftonline.com/TENANT_ID/v2.0":                       "TENANT_ID",
		"https://YOUR_DOMAIN.okta.com/oauth2/default":                            "YOUR_DOMAIN",
		"https://your-tenant.b2clogin.com/x.onmicrosoft.com/B2C_1_SUSI/v2.0":     "your-tenant",
		"https://kc.example.com/realms/[realm]":                                  "[realm]",
		"https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13": "",
		"https://fabrikam.b2clogin.com/fabrikam.onmicrosoft.com/B2C_1_SUSI/v2.0": "",
		"http://[::1]:8080/realms/x":                                             "",
		"https://idp.example.com/keys?kid=a":                                     "",
		"https://accounts.google.com":                                            "",
	} {
		if got := Placeholder(in); got != want {
			t.Errorf("Placeholder(%q) = %q, want %q", in, got, want)
		}
	}
}
