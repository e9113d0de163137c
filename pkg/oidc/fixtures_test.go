package oidc

import (
	"path"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// Every real discovery document under shared/fixtures, read from its file,
// gives exactly these findings (none, unless the document deserves them).
var docExpect = map[string][]string{
	"adfs/adfs-openid-configuration.2023-11.json":                                nil,
	"auth0/auth0-openid-configuration.2019.json":                                 nil,
	"auth0/auth0-openid-configuration.2023-09.json":                              nil,
	"azure/b2c-b2clogin-openid-configuration.msal-edited.json":                   nil,
	"azure/entra-v1-common-openid-configuration.2024-02-02.json":                 nil,
	"azure/entra-v1-common-openid-configuration.msidentitytools.json":            nil,
	"azure/entra-v2-common-openid-configuration.2024-02-02.json":                 nil,
	"azure/entra-v2-common-openid-configuration.2024-10-26.json":                 nil,
	"azure/entra-v2-organizations-openid-configuration.2024-10-26.json":          nil,
	"azure/entra-v2-tenant-10c419d4-openid-configuration.jwksuri-rewritten.json": nil, // jwks_uri https://localhost/… is https and loopback
	"azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json":           nil,
	"cognito/cognito-openid-configuration.2017-legacy.json":                      {"DSC003:error"}, // offers the code flow but has no token_endpoint (pre-hosted-UI pool)
	"cognito/cognito-openid-configuration.2019.eu-west-1.json":                   nil,
	"cognito/cognito-openid-configuration.us-east-1.micronaut-aot.json":          nil,
	"google/google-openid-configuration.2015-legacy-issuer-no-scheme.json":       {"DSC003:warning"}, // pre-standard id_token_alg_values_supported
	"google/google-openid-configuration.2023-11.json":                            nil,
	"google/google-openid-configuration.2024-10-21.json":                         nil,
	"keycloak/keycloak-legacy-auth-prefix-openid-configuration.lagoon.json":      nil,
	"keycloak/keycloak-openid-configuration.demorealm.2023-10.json":              {"DSC005:warning"}, // http://docker-rp-1:8080 endpoints
	"keycloak/keycloak-rfc8414-oauth-authorization-server.eudi.json":             {"DSC003:error"},   // RFC 8414 metadata lacks OIDC members
	"okta/okta-custom-as-default-openid-configuration.2019.oktapreview.json":     nil,
	"okta/okta-custom-as-default-openid-configuration.2023-11.json":              nil,
}

// Every real key set, judged at its capture date.
var setExpect = map[string]struct {
	now  string
	want []string
}{
	"adfs/adfs-jwks.2023-11.json":   {"2023-11-15", nil},
	"auth0/auth0-jwks.2023-09.json": {"2023-09-15", nil},
	"azure/aad-2014-jwks.derived-from-x5c.json": {"2017-08-17", []string{
		"JWK004:warning",                   // kriMPdm…: x5c certificate with a negative serial number
		"JWK007:warning", "JWK007:warning", // both 2012-2016 certificates had expired by 2017
	}},
	"azure/aad-2014-jwks.identitymodel-quirky.json": {"2017-08-17", []string{
		"JWK004:warning", "JWK004:warning", // standard-base64 n, key_ops "signing", negative serial
		"JWK007:warning", "JWK007:warning", // expired certificates
		"JWK008:info", "JWK008:info", // alg "SHA256", key_ops without verify
	}},
	"azure/entra-v1-common-jwks.2021.msidentitytools.json":      {"2021-03-01", nil},
	"azure/entra-v1-common-jwks.2024-07-22.json":                {"2024-07-22", nil},
	"azure/entra-v2-common-jwks.2021-02.x509dart.json":          {"2021-02-16", nil},
	"azure/entra-v2-common-jwks.2024-07.json":                   {"2024-07-22", nil},
	"azure/entra-v2-common-jwks.2024-10-26.json":                {"2024-10-26", nil},
	"azure/entra-v2-organizations-jwks.2024-10-26.json":         {"2024-10-26", nil},
	"azure/entra-v2-tenant-9a95fd9e-jwks.2023-11.json":          {"2023-11-15", nil},
	"cognito/cognito-format-jwks.micronaut-aot-authserver.json": {"2023-01-05", nil},
	"cognito/cognito-jwks.2017.json":                            {"2017-01-02", nil},
	"google/google-jwks.2023-04.micronaut.json":                 {"2023-04-11", nil},
	"google/google-jwks.2023-10.json":                           {"2023-10-15", nil},
	"google/google-jwks.2023-11.json":                           {"2023-11-15", nil},
	"google/google-jwks.2024-10-21.json":                        {"2024-10-21", nil},
	"keycloak/keycloak-jwks.demorealm.2023-10.json":             {"2023-10-20", []string{"JWK008:info"}}, // the RSA-OAEP use=enc key
	"okta/okta-custom-as-default-jwks.2023-11.json":             {"2023-11-15", nil},
	"rfc/rfc7517-A1-example-public-keys.jwks.json": {"2024-01-01", []string{
		"JWK008:info", // kid 1 is use=enc
		"JWK008:info", // kid 2011-04-29 has no use beside an enc key
	}},
}

func TestRealDiscoveryDocuments_NoFalseError(t *testing.T) {
	all := append(testkit.FixtureGlob(t, "*/*openid-configuration*.json"), testkit.FixtureGlob(t, "*/*oauth-authorization-server*.json")...)
	if len(all) < 20 {
		t.Fatalf("only %d discovery fixtures found", len(all))
	}
	for _, rel := range all {
		want, ok := docExpect[rel]
		if !ok {
			t.Errorf("%s: a fixture without an expectation: add it to docExpect", rel)
			continue
		}
		t.Run(path.Base(rel), func(t *testing.T) {
			rep := newReport()
			d := AnalyzeDiscovery(rep, "", testkit.Fixture(t, rel), WithFile(rel))
			if d == nil {
				t.Fatal("not read as a JSON object")
			}
			if d.Issuer == "" || d.JWKSURI == "" || d.Provider == nil {
				t.Errorf("issuer %q, jwks_uri %q, provider %v not extracted", d.Issuer, d.JWKSURI, d.Provider)
			}
			wantFound(t, rep, want...)
		})
	}
}

func TestRealKeySets_NoFalseError(t *testing.T) {
	all := testkit.FixtureGlob(t, "*/*jwks*.json")
	if len(all) < 19 {
		t.Fatalf("only %d key set fixtures found", len(all))
	}
	for _, rel := range all {
		if strings.Contains(rel, "openid-configuration") {
			continue // the tenant-10c419d4 document ("jwksuri-rewritten")
		}
		exp, ok := setExpect[rel]
		if !ok {
			t.Errorf("%s: a fixture without an expectation: add it to setExpect", rel)
			continue
		}
		t.Run(path.Base(rel), func(t *testing.T) {
			rep := newReport()
			s := AnalyzeJWKS(rep, testkit.Fixture(t, rel), WithFile(rel), WithNow(day(exp.now)))
			if s == nil || len(s.Keys) == 0 {
				t.Fatal("no keys read")
			}
			if s.Usable == 0 {
				t.Errorf("no usable signing key")
			}
			for _, k := range s.Keys {
				if k.KTY == "RSA" && (k.Bits < 2048 || k.PublicKey() == nil || k.Thumbprint == "") {
					t.Errorf("%s: bits %d, public key %v, thumbprint %q", k.Label(), k.Bits, k.PublicKey() != nil, k.Thumbprint)
				}
			}
			wantFound(t, rep, exp.want...)
		})
	}
}

// Entra's per-key issuer and certificate facts (idp.md §3.2) come out of
// the real v2 common set.
func TestEntraKeyIssuerAndCertificate(t *testing.T) {
	s, err := ParseJWKS(testkit.Fixture(t, "azure/entra-v2-common-jwks.2024-10-26.json"), WithNow(day("2024-10-26")))
	if err != nil {
		t.Fatal(err)
	}
	var template, msa int
	for _, k := range s.Keys {
		switch {
		case k.Issuer == "https://login.microsoftonline.com/{tenantid}/v2.0":
			template++
		case strings.Contains(k.Issuer, idp.ConsumersTenant):
			msa++
			if k.Cert == nil || k.Cert.Subject != "CN=Live ID STS Signing Public Key" {
				t.Errorf("MSA key %s certificate %+v", k.KID, k.Cert)
			}
		}
		if k.KID != k.X5T {
			t.Errorf("kid %s != x5t %s", k.KID, k.X5T)
		}
	}
	if template != 5 || msa != 2 {
		t.Errorf("template-issuer keys %d, MSA keys %d; want 5 and 2", template, msa)
	}
	if k := s.Key("Mc7l3Iz93g7uwgNeEmmw_WYGPko"); k == nil || k.Cert.NotAfter.Format("2006-01-02") != "2029-09-11" {
		t.Errorf("Key(kid) lookup or certificate expiry wrong: %+v", k)
	}
	if s.Key("nope") != nil {
		t.Error("Key of an unknown kid is not nil")
	}
	// v1 keys have no issuer member.
	v1, _ := ParseJWKS(testkit.Fixture(t, "azure/entra-v1-common-jwks.2024-07-22.json"))
	for _, k := range v1.Keys {
		if k.Issuer != "" {
			t.Errorf("v1 key %s has issuer %q", k.KID, k.Issuer)
		}
	}
}

// RFC 7638 §3.1 gives the thumbprint of its example key.
func TestThumbprint_RFC7638Example(t *testing.T) {
	body := testkit.Fixture(t, "rfc/rfc7517-A1-example-public-keys.jwks.json")
	s, err := ParseJWKS(body)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Key("2011-04-29").Thumbprint; got != "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs" {
		t.Errorf("thumbprint %s", got)
	}
}

// The negative-serial 2014 certificate is read leniently and its key
// still matches n/e; keyfunc-safe JSON leaves it out.
func TestNegativeSerialCertificate(t *testing.T) {
	s, err := ParseJWKS(testkit.Fixture(t, "azure/aad-2014-jwks.derived-from-x5c.json"), WithNow(day("2015-01-01")))
	if err != nil {
		t.Fatal(err)
	}
	k := s.Key("kriMPdmBvx68skT8-mPAB3BseeA")
	if k == nil || k.Cert == nil || !strings.Contains(k.Cert.ParseProblem, "negative serial") {
		t.Fatalf("cert %+v", k.Cert)
	}
	if k.Cert.Subject != "CN=accounts.accesscontrol.windows.net" || k.Cert.NotAfter.Year() != 2016 {
		t.Errorf("lenient parse: %+v", k.Cert)
	}
	if k.JWKSetError == "" || !k.Usable {
		t.Errorf("jwkset error %q, usable %v", k.JWKSetError, k.Usable)
	}
	kf := string(s.KeyfuncJSON())
	if strings.Contains(kf, "kriMPdmBvx68skT8") || !strings.Contains(kf, "NGTFvdK-fythEuLwjpwAJOM9n-A") {
		t.Errorf("KeyfuncJSON %s", kf)
	}
	rep := newReport()
	AnalyzeJWKS(rep, testkit.Fixture(t, "azure/aad-2014-jwks.derived-from-x5c.json"), WithNow(day("2015-01-01")))
	wantFound(t, rep, "JWK004:warning", "JWK007:warning")
	if f := finding(t, rep, "JWK007"); f.Subject.Name != "kid NGTFvdK-fythEuLwjpwAJOM9n-A" || !strings.Contains(f.Message, "expired on 2014-06-07") {
		t.Errorf("JWK007 %+v", f)
	}
}
