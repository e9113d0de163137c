package authlib

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"hash"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/idp"
)

// validateClaims is IDToken.validate (authlib/oidc/core/claims.py) with
// parse_id_token's options and params, in its order: the essential claims,
// iss, (sub, aud: no option), exp, nbf, iat, auth_time, nonce, (acr),
// amr, azp, at_hash. The first failure is what authlib raises.
func (c *Client) validateClaims(r *IDTokenResult, in ParseInput) {
	claims := r.Claims
	_, hasAccess := in.Token.Get("access_token")
	nonce := in.Nonce
	// "https://github.com/authlib/authlib/issues/259": a token saying it
	// does not support nonces is not checked for one.
	if ns, ok := claims["nonce_supported"]; ok && ns == false {
		nonce = ""
	}
	essential := []string{"iss", "sub", "aud", "exp", "iat"}
	cls := "CodeIDToken"
	if !hasAccess {
		cls = "ImplicitIDToken"
		essential = append(essential, "nonce")
	}
	for _, k := range essential {
		if _, ok := claims[k]; !ok {
			r.fail("essential claims", fmt.Sprintf("%s requires %s; the ID token has no %q", cls, strings.Join(essential, ", "), k), missingClaim(k, whereIDToken), "TOK010")
			return
		}
	}
	r.pass("essential claims", fmt.Sprintf("%s: %s present", cls, strings.Join(essential, ", ")))
	if !c.checkIss(r) {
		return
	}
	now := float64(in.Now.Unix()) // int(time.time())
	lw := in.Leeway.Seconds()
	if !checkTimes(r, now, lw, in.Leeway) {
		return
	}
	if v, ok := claims["auth_time"]; ok && truthy(v) {
		if _, num := pyNumber(v); !num {
			r.fail("auth_time", "auth_time is not a number: "+repr(v), invalidClaim("auth_time", whereIDToken), "TOK010")
			return
		}
	}
	if nonce != "" {
		got, ok := claims["nonce"]
		switch {
		case !ok:
			r.fail("nonce", "the request sent a nonce and the ID token carries none", missingClaim("nonce", whereIDToken), "TOK013")
			return
		case !pyEqual(got, nonce):
			r.fail("nonce", fmt.Sprintf("the ID token's nonce %s is not the one this login sent", repr(got)), invalidClaim("nonce", whereIDToken), "TOK013")
			return
		}
		r.pass("nonce", "the ID token carries this login's nonce")
	}
	if v, ok := claims["amr"]; ok && truthy(v) {
		if _, isList := v.([]any); !isList {
			r.fail("amr", "amr is not a list: "+repr(v), invalidClaim("amr", whereIDToken), "TOK010")
			return
		}
	}
	if !c.checkAzp(r) {
		return
	}
	if hasAccess {
		checkAtHash(r, in.Token)
	}
}

// checkIss is validate_iss with claims_options {"iss": {"values":
// [metadata["issuer"]]}}: an exact comparison; no option, no check.
func (c *Client) checkIss(r *IDTokenResult) bool {
	iss := r.Claims["iss"]
	if !r.IssuerSet {
		r.pass("iss", "not checked: the server metadata has no issuer")
		return true
	}
	want := c.mustMeta("issuer")
	if pyEqual(iss, want) {
		r.pass("iss", fmt.Sprintf("%s equals the metadata issuer exactly", repr(iss)))
		return true
	}
	detail, check, fix := issuerCause(iss, r.Claims["tid"], fab.PyStr(want), c.Metadata.From("issuer"))
	r.fail("iss", detail, invalidClaim("iss", whereClaims), check)
	r.Fix = fix
	return false
}

// issuerCause explains an iss that is not the metadata's issuer and
// names the check for the cause: Entra's template issuer of the common
// and organizations documents (ISS003), Entra v1 against v2 metadata or
// the reverse (ISS002), any other difference (ISS001).
func issuerCause(issV, tidV any, want, from string) (detail, check, fix string) {
	got := fab.PyStr(issV)
	base := fmt.Sprintf("authlib compares iss with the metadata issuer as an exact string: the ID token's iss is %s, the issuer of %s is %q", repr(issV), from, want)
	a, b := idp.Parse(got), idp.Parse(want)
	if strings.Contains(want, "{tenantid}") {
		tenant, _ := tidV.(string)
		if tenant == "" && a.TenantKind == "guid" {
			tenant = a.Tenant
		}
		host := b.Host
		if host == "sts.windows.net" {
			host = "login.microsoftonline.com" // the v1 issuer's host serves no documents
		}
		doc := "https://" + host + "/" + tenant + "/v2.0/.well-known/openid-configuration"
		if tenant == "" {
			doc = "https://" + host + "/<tenant-id>/v2.0/.well-known/openid-configuration"
		}
		if b.Version == "v1" {
			doc = strings.Replace(doc, "/v2.0/", "/", 1)
		}
		return base + ": the Entra multi-tenant document publishes the template {tenantid}, which no token carries, so every login through this metadata fails; use the tenant's own metadata as server_metadata_url: " + doc, "ISS003",
			"Set server_metadata_url to the tenant's own document, " + doc + ": its issuer names the tenant, as the tokens do."
	}
	if a.IdP == "azure" && b.IdP == "azure" && a.Version != "" && b.Version != "" && a.Version != b.Version {
		return base + fmt.Sprintf(": a %s token against %s metadata (the ID token's version follows the endpoints the app uses)", a.Version, b.Version), "ISS002",
			"Use the endpoints of the metadata's version: authorize_url and access_token_url of the same version as server_metadata_url (or leave them out and let the metadata give them)."
	}
	if strings.TrimSuffix(got, "/") == strings.TrimSuffix(want, "/") {
		return base + ": they differ only in the trailing slash, which is a different issuer", "ISS001",
			"Make the IdP publish, in its metadata, the issuer its tokens carry (character for character), or point server_metadata_url at the document of that issuer."
	}
	return base, "ISS001", "Point server_metadata_url at the document of the issuer the tokens carry (" + strings.TrimSuffix(got, "/") + "/.well-known/openid-configuration)."
}

// checkTimes is validate_exp, validate_nbf and validate_iat with the
// leeway (JWTClaims, authlib/jose/rfc7519/claims.py).
func checkTimes(r *IDTokenResult, now, lw float64, leeway time.Duration) bool {
	claims := r.Claims
	if v, ok := claims["exp"]; ok {
		exp, num := pyNumber(v)
		if !num {
			r.fail("exp", "exp is not a number: "+repr(v), invalidClaim("exp", whereClaims), "TOK006")
			return false
		}
		if exp < now-lw {
			r.fail("exp", fmt.Sprintf("expired %s ago, beyond authlib's leeway of %s", time.Duration(now-exp)*time.Second, leeway),
				joseError("ExpiredTokenError", "expired_token", "The token is expired", whereClaims), "TOK006")
			return false
		}
	}
	if v, ok := claims["nbf"]; ok {
		nbf, num := pyNumber(v)
		if !num {
			r.fail("nbf", "nbf is not a number: "+repr(v), invalidClaim("nbf", whereClaims), "TOK007")
			return false
		}
		if nbf > now+lw {
			r.fail("nbf", fmt.Sprintf("not valid for another %s, beyond authlib's leeway of %s: this machine's clock or the IdP's is off", time.Duration(nbf-now)*time.Second, leeway),
				joseError("InvalidTokenError", "invalid_token", "The token is not valid yet", whereClaims), "TOK007")
			return false
		}
	}
	if v, ok := claims["iat"]; ok {
		iat, num := pyNumber(v)
		if !num {
			r.fail("iat", "iat is not a number: "+repr(v), invalidClaim("iat", whereClaims), "TOK007")
			return false
		}
		if iat > now+lw {
			r.fail("iat", fmt.Sprintf("issued %s in the future, beyond authlib's leeway of %s: a clock is off", time.Duration(iat-now)*time.Second, leeway),
				joseError("InvalidTokenError", "invalid_token", "The token is not valid as it was issued in the future", whereClaims), "TOK007")
			return false
		}
	}
	r.pass("times", fmt.Sprintf("exp, nbf, iat hold with a leeway of %s", leeway))
	return true
}

// checkAzp is IDToken.validate_azp: parse_id_token sets no aud option, so
// validate_aud checks nothing; the audience is held by this rule alone:
// when aud (a one-element list taken as its element) is not the client_id,
// azp is required, and an azp must be the client_id.
func (c *Client) checkAzp(r *IDTokenResult) bool {
	aud, azp := r.Claims["aud"], r.Claims["azp"]
	if c.ClientID == "" {
		r.pass("aud/azp", "not checked: the client has no client_id")
		return true
	}
	required := false
	if truthy(aud) {
		a := aud
		if l, ok := aud.([]any); ok && len(l) == 1 {
			a = l[0]
		}
		required = !pyEqual(a, c.ClientID)
	}
	if required && !truthy(azp) {
		r.fail("aud/azp", fmt.Sprintf("aud %s is not the client_id %q, so authlib requires azp, and the ID token has none", repr(aud), c.ClientID), missingClaim("azp", whereIDToken), "TOK008")
		return false
	}
	if truthy(azp) && !pyEqual(azp, c.ClientID) {
		r.fail("aud/azp", fmt.Sprintf("azp %s is not the client_id %q", repr(azp), c.ClientID), invalidClaim("azp", whereIDToken), "TOK008")
		return false
	}
	if required {
		r.pass("aud/azp", fmt.Sprintf("aud %s is not the client_id, and azp names it: authlib accepts (it never compares aud itself)", repr(aud)))
	} else {
		r.pass("aud/azp", fmt.Sprintf("aud is the client_id %q", c.ClientID))
	}
	return true
}

// checkAtHash is IDToken.validate_at_hash: when the ID token has at_hash
// and the response an access token, the left half of the access token's
// hash (sha + the alg's digits; none for algorithms hashlib does not
// name, such as EdDSA) base64url-encoded must equal it.
func checkAtHash(r *IDTokenResult, t *Token) {
	at, ok := r.Claims["at_hash"]
	access := t.Str("access_token")
	if !ok || !truthy(at) || access == "" {
		r.pass("at_hash", "not checked: the ID token has no at_hash")
		return
	}
	alg, _ := r.Header["alg"].(string)
	want, known := halfHash(access, alg)
	if !known {
		r.pass("at_hash", fmt.Sprintf("not checked: create_half_hash finds no hashlib function for %s", alg))
		return
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(fab.PyStr(at))) == 1 {
		r.pass("at_hash", "at_hash matches the access token")
		return
	}
	r.fail("at_hash", fmt.Sprintf("at_hash %s is not the %s half-hash of the access token that came with it", repr(at), alg), invalidClaim("at_hash", whereIDToken), "TOK013")
}

// halfHash is oidc/core/util.py create_half_hash.
func halfHash(s, alg string) (string, bool) {
	if len(alg) < 2 {
		return "", false
	}
	var h hash.Hash
	switch "sha" + alg[2:] {
	case "sha256":
		h = sha256.New()
	case "sha384":
		h = sha512.New384()
	case "sha512":
		h = sha512.New()
	case "sha224":
		h = sha256.New224()
	default:
		return "", false
	}
	h.Write([]byte(s))
	d := h.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(d[:len(d)/2]), true
}
