package issuer

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Difference classifies how two issuer strings differ: DSC004 (a
// document's issuer vs the URL it came from) and ISS001 (a token's iss vs
// the expected issuer, "classified as in DSC004") both use it.
type Difference struct {
	Expected, Actual string
	// Kinds: "case", "trailing slash", "scheme", "host", "port", "path",
	// "query", "not a URL". Empty when the strings are identical.
	Kinds []string
	// Details explain each kind with the observed values, in words.
	Details []string
	// FirstDiff is the 1-based character position of the first
	// difference (0 when identical).
	FirstDiff int
	// Hints explain the likely cause of some kinds (longer than Details).
	Hints []string
	// InternalHost is true when one side's host looks internal (a Docker
	// or Kubernetes service name, localhost, a private address) and the
	// other's public: the Keycloak frontend-URL mismatch.
	InternalHost bool
}

// Same reports whether the issuers are identical.
func (d Difference) Same() bool { return len(d.Kinds) == 0 }

// Summary is the details joined for a message.
func (d Difference) Summary() string { return strings.Join(d.Details, "; ") }

// Compare classifies the difference between an expected and an
// actual issuer. Comparison is exact (OIDC Core §3.1.3.7): case, trailing
// slash, scheme, port and path all matter.
func Compare(expected, actual string) Difference {
	d := Difference{Expected: expected, Actual: actual}
	if expected == actual {
		return d
	}
	d.FirstDiff = firstDiff(expected, actual)
	add := func(kind, detail string) {
		d.Kinds = append(d.Kinds, kind)
		d.Details = append(d.Details, detail)
	}
	if strings.EqualFold(expected, actual) {
		add("case", "they differ only in letter case, and issuer comparison is case-sensitive")
		return d
	}
	if strings.TrimSuffix(expected, "/") == strings.TrimSuffix(actual, "/") {
		with, without := expected, actual
		if strings.HasSuffix(actual, "/") {
			with, without = actual, expected
		}
		add("trailing slash", fmt.Sprintf("they differ only by a trailing slash (%q vs %q), and issuer comparison is exact", with, without))
		return d
	}
	eu, err1 := url.Parse(expected)
	au, err2 := url.Parse(actual)
	if err1 != nil || err2 != nil || eu.Scheme == "" || au.Scheme == "" || eu.Host == "" || au.Host == "" {
		bad := actual
		if err1 != nil || eu.Scheme == "" || eu.Host == "" {
			bad = expected
		}
		add("not a URL", fmt.Sprintf("%q is not an absolute URL (an issuer is https://host/path)", bad))
		return d
	}
	if eu.Scheme != au.Scheme {
		detail := fmt.Sprintf("scheme %s vs %s", au.Scheme, eu.Scheme)
		if au.Scheme == "http" && eu.Scheme == "https" {
			d.Hints = append(d.Hints, "http vs https: the IdP believes it is reached over http, typically behind a TLS-terminating proxy that does not pass X-Forwarded-Proto (Keycloak: KC_PROXY_HEADERS=xforwarded and an https KC_HOSTNAME)")
		}
		add("scheme", detail)
	}
	if !strings.EqualFold(eu.Hostname(), au.Hostname()) {
		detail := fmt.Sprintf("host %q vs %q", au.Hostname(), eu.Hostname())
		ei, ai := internalHost(eu.Hostname()), internalHost(au.Hostname())
		if ei != ai {
			d.InternalHost = true
			internal, public := au.Hostname(), eu.Hostname()
			if ei {
				internal, public = eu.Hostname(), au.Hostname()
			}
			detail += " (internal vs public name)"
			d.Hints = append(d.Hints, fmt.Sprintf("%q looks like an internal name (a container, service or localhost) and %q like the public one: the IdP names itself after the host it was reached by (Keycloak: set the frontend URL / KC_HOSTNAME to the public URL)", internal, public))
		}
		add("host", detail)
	} else if eu.Hostname() != au.Hostname() {
		add("case", fmt.Sprintf("host %q vs %q differ in letter case: HTTP does not care, but issuer comparison is exact", au.Hostname(), eu.Hostname()))
	}
	if eu.Port() != au.Port() {
		add("port", fmt.Sprintf("port %s vs %s", portWords(au), portWords(eu)))
	}
	ep, ap := eu.EscapedPath(), au.EscapedPath()
	if ep != ap {
		switch {
		case strings.EqualFold(ep, ap):
			add("case", fmt.Sprintf("path %q vs %q differ in letter case (a realm or tenant name typed in another case?)", ap, ep))
		case strings.TrimSuffix(ep, "/") == strings.TrimSuffix(ap, "/"):
			add("trailing slash", fmt.Sprintf("path %q vs %q differ by a trailing slash", ap, ep))
		default:
			detail := fmt.Sprintf("path %q vs %q", ap, ep)
			if strings.HasPrefix(ap, "/auth/realms/") != strings.HasPrefix(ep, "/auth/realms/") && (strings.Contains(ap, "/realms/") && strings.Contains(ep, "/realms/")) {
				detail += ": the /auth prefix of Keycloak before version 17 (WildFly) is on one side only"
			}
			add("path", detail)
		}
	}
	if eu.RawQuery != au.RawQuery || eu.Fragment != au.Fragment {
		add("query", "a query or fragment is present on one side (an issuer has neither)")
	}
	if len(d.Kinds) == 0 {
		add("encoding", "they differ in URL encoding")
	}
	return d
}

func firstDiff(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	for i := 0; i < len(ra) && i < len(rb); i++ {
		if ra[i] != rb[i] {
			return i + 1
		}
	}
	if len(ra) == len(rb) {
		return 0
	}
	return min(len(ra), len(rb)) + 1
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch u.Scheme {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

func portWords(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	return "(none: " + effectivePort(u) + ")"
}

// internalHost guesses whether a host name is internal: no dot (a Docker
// or Compose service), *.local, *.internal, *.svc, *.cluster.local,
// localhost, loopback or private IP addresses.
func internalHost(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast()
	}
	if !strings.Contains(h, ".") {
		return true
	}
	for _, suf := range []string{".local", ".internal", ".svc", ".cluster.local", ".localhost", ".lan", ".corp", ".home.arpa"} {
		if strings.HasSuffix(h, suf) {
			return true
		}
	}
	return h == "localhost"
}
