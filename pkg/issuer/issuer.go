// Package issuer compares a token's iss and tenant with what was expected
// (ISS checks) and the endpoints a config names with each other; the
// authorities themselves are classified by pkg/idp. No I/O.
package issuer

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/idp"
)

// Diff classifies how two issuers differ, as OIDC Discovery §4.3 and
// checks.md DSC004/ISS001 ask: "" when identical, else one of
// "trailing slash", "case", "scheme", "host", "port", "path", "other",
// with a sentence for people.
func Diff(expected, actual string) (kind, sentence string) {
	if expected == actual {
		return "", ""
	}
	if strings.TrimRight(expected, "/") == strings.TrimRight(actual, "/") {
		return "trailing slash", fmt.Sprintf("they differ only in the trailing slash (expected %q, got %q)", expected, actual)
	}
	if strings.EqualFold(expected, actual) {
		return "case", "they differ only in upper/lower case; issuers are compared case-sensitively"
	}
	eu, err1 := url.Parse(expected)
	au, err2 := url.Parse(actual)
	if err1 != nil || err2 != nil || eu.Host == "" || au.Host == "" {
		if !strings.Contains(expected, "://") || !strings.Contains(actual, "://") {
			return "scheme", "one of them has no scheme (https://)"
		}
		return "other", "they differ"
	}
	var kinds, parts []string
	if eu.Scheme != au.Scheme {
		kinds, parts = append(kinds, "scheme"), append(parts, fmt.Sprintf("the scheme (%s vs %s)", eu.Scheme, au.Scheme))
	}
	if !strings.EqualFold(eu.Hostname(), au.Hostname()) {
		kinds, parts = append(kinds, "host"), append(parts, fmt.Sprintf("the host (expected %s, got %s: an internal vs public name, or another tenant, realm or IdP)", eu.Hostname(), au.Hostname()))
	} else if eu.Hostname() != au.Hostname() {
		kinds, parts = append(kinds, "case"), append(parts, "the host's case (issuers are compared exactly)")
	}
	if eu.Port() != au.Port() {
		kinds, parts = append(kinds, "port"), append(parts, fmt.Sprintf("the port (%q vs %q)", eu.Port(), au.Port()))
	}
	if eu.Path != au.Path {
		kinds, parts = append(kinds, "path"), append(parts, fmt.Sprintf("the path (%s vs %s)", orSlash(eu.Path), orSlash(au.Path)))
	}
	if len(kinds) == 0 {
		return "other", "they differ"
	}
	return kinds[0], "they differ in " + strings.Join(parts, ", ")
}

func orSlash(p string) string {
	if p == "" {
		return "(empty)"
	}
	return p
}

// AzureIssuer builds the issuer an Entra token of a version carries for a
// tenant GUID in a cloud (the cloud's login host; other clouds' v1 issuers
// are not documented, so only the global one is built).
func AzureIssuer(cloud, version, tid string) string {
	if version == "v1" && (cloud == "global" || cloud == "") {
		return "https://sts.windows.net/" + tid + "/"
	}
	return "https://" + idp.LoginHost(cloud) + "/" + tid + "/v2.0"
}

// DiscoveryURL is where an issuer's discovery document lives (OIDC
// Discovery §4: strip a trailing slash, append the well-known path).
// Entra v1 issuers on sts.windows.net are served by the login host.
func DiscoveryURL(iss string) string {
	if !strings.Contains(iss, "://") {
		iss = "https://" + iss
	}
	a := idp.Parse(iss)
	if a.IdP == "azure" && (a.Host == "sts.windows.net") && a.Tenant != "" {
		return "https://login.microsoftonline.com/" + a.Tenant + "/.well-known/openid-configuration"
	}
	return strings.TrimRight(iss, "/") + "/.well-known/openid-configuration"
}
