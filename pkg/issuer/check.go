package issuer

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/token"
)

// Expectation is what a token's issuer is compared with.
type Expectation struct {
	// Issuer expected (it may be the Entra template with {tenantid}).
	Issuer string
	// Source names where Issuer came from: "--expect-issuer",
	// "discovery <url>", "config file:line".
	Source string
	// AltIssuers are also accepted (AD FS access_token_issuer).
	AltIssuers []string
	// Tenant as the user gave it (--tenant), and its resolved GUID when
	// it was a domain.
	Tenant     string
	TenantGUID string
	// KeyIssuer is the Entra JWK "issuer" member of the signing key.
	KeyIssuer string
	KeyID     string
}

const consumersNote = " (" + idp.ConsumersTenant + " is the consumers tenant: a personal Microsoft account signed in)"

func tenantNote(t string) string {
	if strings.EqualFold(t, idp.ConsumersTenant) {
		return consumersNote
	}
	return ""
}

func googleEquivalent(a, b string) bool {
	g := func(s string) bool { return s == "accounts.google.com" || s == "https://accounts.google.com" }
	return g(a) && g(b)
}

// Check compares the token's issuer and tenant with the expectation.
func Check(rep *engine.Report, d *token.Decoded, e Expectation) {
	iss := d.Claims.String("iss")
	tid := d.Claims.String("tid")
	subj := engine.At(engine.Subject{Name: d.Label + " claim iss"})
	if e.Issuer != "" {
		exp := e.Issuer
		if strings.Contains(exp, "{tenantid}") {
			rep.Add("ISS003", fmt.Sprintf("the expected issuer %q is the Entra multi-tenant template (common/organizations): any Entra tenant's token passes unless tid is checked against an allow-list", exp),
				engine.At(engine.Subject{URL: e.Source}), engine.With("issuer", exp), engine.With("from", e.Source))
			if tid == "" {
				rep.Add("ISS001", fmt.Sprintf("the expected issuer is the template %q but %s has no tid claim to fill it in", exp, the(d.Label)), subj,
					engine.With("expected", exp), engine.With("iss", iss))
				return
			}
			exp = strings.ReplaceAll(exp, "{tenantid}", tid)
		}
		ok := iss == exp || googleEquivalent(iss, exp)
		for _, alt := range e.AltIssuers {
			ok = ok || iss == alt
		}
		if !ok {
			mismatch(rep, d, iss, exp, e.Source)
		}
	}
	if e.Tenant != "" {
		checkTenant(rep, d, tid, iss, e)
	}
	if e.KeyIssuer != "" && tid != "" {
		ki := strings.ReplaceAll(e.KeyIssuer, "{tenantid}", tid)
		ta := idp.Parse(iss)
		// Microsoft.IdentityModel accepts the key issuer when it equals
		// iss or the v2 issuer of the token's tenant: so a v1 token
		// signed by a key whose issuer is the v2 form is valid (idp.md §1.2).
		if ki != iss && ki != AzureIssuer(ta.Cloud, "v2", tid) {
			ka := idp.Parse(ki)
			rep.Add("ISS004", fmt.Sprintf("the signing key %s belongs to issuer %s, not to the token's tenant %s%s", e.KeyID, ki, tid, tenantNote(ka.Tenant)),
				subj, engine.With("key issuer", e.KeyIssuer), engine.With("tid", tid), engine.With("iss", iss),
				engine.FixHint("Entra keys carry an issuer: a key of the consumers tenant (personal accounts) or of another tenant must not validate this token. Use the tenant-specific endpoints."))
		}
	}
}

// CheckConfigured compares an issuer the app is configured to expect
// with the discovery document's (where names the document): ISS001 when
// they differ, classified as DSC004 classifies.
func CheckConfigured(rep *engine.Report, expected, docIssuer, where string) {
	diff := Compare(expected, docIssuer)
	if diff.Same() {
		return
	}
	rep.Add("ISS001", fmt.Sprintf("the configured issuer %q is not the issuer %q of the discovery document: %s", expected, docIssuer, diff.Summary()),
		engine.At(engine.Subject{URL: where}), engine.With("expected", expected), engine.With("discovery issuer", docIssuer), engine.With("difference", diff.Kinds[0]))
}

func mismatch(rep *engine.Report, d *token.Decoded, iss, exp, source string) {
	ea, ta := idp.Parse(exp), idp.Parse(iss)
	subj := engine.At(engine.Subject{Name: d.Label + " claim iss"})
	ev := []engine.Opt{subj, engine.With("iss", iss), engine.With("expected", exp), engine.With("expected from", source)}
	if ea.IdP == "azure" && ta.IdP == "azure" {
		etid, ttid := strings.ToLower(ea.Tenant), strings.ToLower(ta.Tenant)
		switch {
		case ea.Cloud != ta.Cloud:
			rep.Add("ISS007", fmt.Sprintf("%s comes from the %s cloud (%s) but the expected issuer is in the %s cloud (%s)", the(d.Label), ta.Cloud, ta.Host, ea.Cloud, ea.Host), ev...)
			return
		case ea.Version != ta.Version && (etid == ttid || idp.TenantKind(ea.Tenant) != "guid"):
			tv, mv := "v1", "v2"
			if ta.Version == "v2" {
				tv, mv = "v2", "v1"
			}
			fix := "Set \"requestedAccessTokenVersion\": 2 (manifest: accessTokenAcceptedVersion) on the API's app registration and use the v2.0 discovery URL https://" + idp.LoginHost(ea.Cloud) + "/" + ta.Tenant + "/v2.0/.well-known/openid-configuration — or validate v1 tokens against the v1 metadata https://" + idp.LoginHost(ea.Cloud) + "/" + ta.Tenant + "/.well-known/openid-configuration."
			rep.Add("ISS002", fmt.Sprintf("%s is an Entra %s token (iss %s) but the expected issuer is the %s form %s", the(d.Label), tv, iss, mv, exp),
				append(ev, engine.With("token ver", d.Claims.String("ver")), engine.FixHint(fix))...)
			return
		case etid != ttid && idp.TenantKind(ea.Tenant) == "guid" && idp.TenantKind(ta.Tenant) == "guid":
			rep.Add("ISS004", fmt.Sprintf("%s was issued by tenant %s%s, but the expected tenant is %s", the(d.Label), ta.Tenant, tenantNote(ta.Tenant), ea.Tenant), ev...)
			return
		}
	}
	diff := Compare(exp, iss)
	kind := diff.Kinds[0]
	ev = append(ev, engine.With("difference", kind))
	if h := shapeHint(ea, ta, kind); h != "" {
		ev = append(ev, engine.With("hint", h))
	}
	rep.Add("ISS001", fmt.Sprintf("the token's iss %q is not the expected issuer %q: %s", iss, exp, diff.Summary()), ev...)
}

// shapeHint explains the classic issuer mismatches of each IdP
// (spec/idp.md §6).
func shapeHint(ea, ta idp.Authority, kind string) string {
	switch {
	case ea.IdP == "keycloak" || ta.IdP == "keycloak":
		if ea.Server != ta.Server && (ea.Server == "pre-17" || ta.Server == "pre-17") {
			return "one side uses the pre-17 /auth path (Keycloak ≤ 16, or --http-relative-path=/auth) and the other not: use the URL form the server really serves"
		}
		if ea.Realm != "" && ta.Realm != "" && ea.Realm != ta.Realm {
			return fmt.Sprintf("different realms: %s vs %s", ea.Realm, ta.Realm)
		}
		if kind == "host" || kind == "scheme" || kind == "port" {
			return "Keycloak writes its frontend URL into iss: the browser reached it as one name (public) and the app as another (internal service name). Set KC_HOSTNAME (hostname v2) or the realm's Frontend URL so both agree, and point the app at the public URL"
		}
	case ea.IdP == "okta" || ta.IdP == "okta":
		if ea.Server != ta.Server {
			return fmt.Sprintf("Okta has an org authorization server (issuer https://{domain}) and custom ones (https://{domain}/oauth2/{id}); the token comes from %s, the expected issuer is %s", ta.Server, ea.Server)
		}
		if kind == "host" {
			return "an Okta custom URL domain changes iss: configure the issuer with the same domain the users sign in through"
		}
	case ea.IdP == "auth0" || ta.IdP == "auth0":
		if kind == "trailing slash" {
			return "Auth0 issuers end with a slash (https://{tenant}.auth0.com/): configure it exactly so"
		}
		if kind == "host" {
			return "an Auth0 custom domain changes iss: tokens minted through the canonical and the custom domain carry different issuers"
		}
	case ea.IdP == "adfs" || ta.IdP == "adfs":
		return "AD FS access tokens carry access_token_issuer (http://{host}/adfs/services/trust), only ID tokens carry issuer (https://{host}/adfs)"
	}
	return ""
}

// CheckExpectation judges what the app expects without a token: an
// expected issuer that is Entra's multi-tenant template (ISS003), and how
// the tenant is written (tenantForm).
func CheckExpectation(rep *engine.Report, e Expectation) {
	if strings.Contains(e.Issuer, "{tenantid}") {
		rep.Add("ISS003", fmt.Sprintf("the issuer %q is the Entra multi-tenant template: exact issuer validation fails unless tid is substituted and checked against an allow-list", e.Issuer),
			engine.At(engine.Subject{URL: e.Source}), engine.With("issuer", e.Issuer))
	}
	if e.Tenant != "" {
		tenantForm(rep, e, engine.At(engine.Subject{Name: "tenant"}))
	}
}

// tenantForm judges how the expected tenant is written: a multi-tenant
// alias (ISS003: false, nothing to compare a token's tenant with), a
// domain or an upper-case GUID where tokens carry the lower-case GUID
// (ISS006).
func tenantForm(rep *engine.Report, e Expectation, subj engine.Opt) bool {
	t := e.Tenant
	switch idp.TenantKind(t) {
	case "common", "organizations":
		rep.Add("ISS003", fmt.Sprintf("the tenant %q is a multi-tenant alias: it accepts tokens of any Entra tenant", t), subj, engine.With("tenant", t))
		return false
	case "domain", "name":
		msg := fmt.Sprintf("the tenant is given as the domain %q; tokens carry the tenant GUID in tid and iss, so exact comparison with the domain fails", t)
		if e.TenantGUID != "" {
			msg += fmt.Sprintf(" (it resolves to %s)", e.TenantGUID)
		}
		rep.Add("ISS006", msg, subj, engine.With("tenant", t), engine.With("resolved", orUnknown(e.TenantGUID)))
	case "guid":
		if t != strings.ToLower(t) {
			rep.Add("ISS006", fmt.Sprintf("the tenant GUID %s is not in canonical lower case; tokens carry %s", t, strings.ToLower(t)), subj, engine.With("tenant", t))
		}
	}
	return true
}

func checkTenant(rep *engine.Report, d *token.Decoded, tid, iss string, e Expectation) {
	t := e.Tenant
	kind := idp.TenantKind(t)
	subj := engine.At(engine.Subject{Name: d.Label + " claim tid"})
	if !tenantForm(rep, e, subj) {
		return
	}
	want := e.TenantGUID
	if kind == "guid" || kind == "consumers" {
		want = strings.ToLower(t)
		if kind == "consumers" {
			want = idp.ConsumersTenant
		}
	}
	if want == "" {
		return
	}
	got := strings.ToLower(tid)
	if got == "" {
		got = strings.ToLower(idp.Parse(iss).Tenant)
	}
	if got != want {
		rep.Add("ISS004", fmt.Sprintf("%s belongs to tenant %s%s, not to the configured tenant %s", the(d.Label), got, tenantNote(got), want),
			subj, engine.With("tid", tid), engine.With("expected tenant", want), engine.With("iss", iss))
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "not resolved (offline or failed)"
	}
	return s
}

func the(label string) string { return "the " + label }
