package fab

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
)

// Findings on the user's own login code, each at its line (spec
// user-code.md §6), from what evaluating it on a representative login of
// each provider showed (UserCodeFacts).

// userCodeFindings reports, for each provider, a raise on every login
// (ROL006 error), claims read with [...] that its tokens may lack
// (ROL006 warning), decodes without a signature check (CFG007, as for
// the built-in branch), plain-http calls (CFG020); and names the code
// branches on that no provider has (CFG026).
func (l *linter) userCodeFindings(provs []*Provider) {
	l.getterVerdict()
	f := l.facts
	if f == nil {
		return
	}
	seen := map[string]bool{}
	once := func(is Issue) {
		k := fmt.Sprintf("%s\x00%s\x00%d\x00%s", is.ID, is.File, is.Line, is.Message)
		if !seen[k] {
			seen[k] = true
			l.issues = append(l.issues, is)
		}
	}
	for _, pr := range provs {
		pf := f.Providers[pr.Name]
		if pf == nil || pf.Run == nil {
			continue
		}
		for _, is := range l.providerCodeFindings(f, pr, pf) {
			once(is)
		}
	}
	l.unknownNames(provs)
}

func (l *linter) providerCodeFindings(f *UserCodeFacts, pr *Provider, pf *ProviderFacts) []Issue {
	var out []Issue
	src, run := f.Source.Name, pf.Run
	at := func(id string, file string, line int, msg string, opts ...func(*Issue)) {
		is := Issue{ID: id, File: orFile(file, l.cfg.File), Line: max(line, 1), Provider: pr.Name, Message: msg}
		for _, o := range opts {
			o(&is)
		}
		out = append(out, is)
	}
	if run.Kind == CodeRaised && run.Exception.Deliberate {
		// The author's own refusal (raise when the user lacks a role):
		// whom it refuses depends on the user, not on this config.
		e := run.Exception
		at("ROL006", e.File, e.Line, fmt.Sprintf("%s refuses a representative %s login at line %d (%s): users for whom that condition holds cannot sign in (FAB logs \"%s%s\"); make sure it is meant", src, pf.IdP, e.Line, clip(e.Text, 160), LogUserInfo, clip(e.Message, 160)),
			sev(engine.SeverityInfo), withEv("exception", e.Text, "token", pf.Token))
	} else if run.Kind == CodeRaised && pf.RaisesWithout != "" {
		// the run with the optional claim added raised again: on the
		// example values the representative login carries, which real
		// users' values may not share (a one-word name split in two)
		e := run.Exception
		at("ROL006", e.File, e.Line, fmt.Sprintf("%s raises %s at line %d on example values of the claims it reads (with %q present): whether real users' values do depends on what %s sends for them", src, clip(e.Text, 160), e.Line, pf.RaisesWithout, pf.IdP),
			sev(engine.SeverityInfo), withEv("exception", e.Text, "token", pf.Token))
	} else if run.Kind == CodeRaised {
		e := run.Exception
		// A long exception text (cryptography's OpenSSL error list) is
		// cut in the message; the evidence keeps it whole.
		msg, fix := fmt.Sprintf("every login through %q fails: %s raises %s at line %d, so FAB logs \"%s%s\" and the user sees \"%s\"", pr.Name, src, clip(e.Text, 160), e.Line, LogUserInfo, clip(e.Message, 160), MsgInvalidLogin), "Fix the code at that line."
		var opts []func(*Issue)
		switch {
		case hasEvent(pf, EventPyJWT1Verify) && e.Type == "DecodeError" || hasEvent(pf, EventPyJWT1Verify) && e.Type == "ValueError":
			msg = "with PyJWT 2 (Flask-AppBuilder ≥ 4: Airflow ≥ 2.3, the FAB provider, Superset ≥ 2.0), " + msg +
				": verify=False is PyJWT 1's spelling, which PyJWT 2 ignores, so the signature is still checked and algorithms and a key are needed; under PyJWT 1 (Flask-AppBuilder 3: Airflow ≤ 2.2) the same line decodes without any check"
			fix = "Write jwt.decode(token, options={\"verify_signature\": False}) to decode without a check, or pass the provider's key with algorithms=[…] and audience=… to verify."
			// The code was written for PyJWT 1: on a release that
			// installs it, the line works (unverified); the login breaks
			// on upgrade, not necessarily today. Which PyJWT is installed
			// is not visible: info, naming the condition.
			if old, which := l.p.PyJWTMayBe1(); old {
				opts = append(opts, sev(engine.SeverityInfo), withEv("PyJWT 1", which))
			}
		case e.Type == "AttributeError" && strings.HasSuffix(e.Message, "has no attribute '_azure_jwt_token_parse'"):
			msg = fmt.Sprintf("with Flask-AppBuilder 4.3.8 or later (this run simulates %s), ", l.p.FABVersion) + msg +
				": Flask-AppBuilder 4.3.8 removed that helper; up to 4.3.7 it decoded the id_token without verifying it, so a deployment pinned to an older release works until it upgrades"
			opts = append(opts, sev(engine.SeverityWarning))
			fix = "Decode the id_token yourself (jwt.decode(token, options={\"verify_signature\": False}) after authlib has verified it), or call super().get_oauth_user_info(provider, resp), FAB's own azure branch."
		case e.Type == "AttributeError" && strings.HasSuffix(e.Message, "has no attribute 'data'"):
			msg += ": .data was Flask-OAuthlib's; authlib returns a requests.Response"
			fix = "Use .json() on the response (authlib's remote.get returns a requests.Response)."
		}
		at("ROL006", e.File, e.Line, msg, append([]func(*Issue){withEv("exception", e.Text, "token", pf.Token), withFix(fix)}, opts...)...)
	}
	if e := pf.RaisedWithout; e != nil {
		at("ROL006", e.File, e.Line, fmt.Sprintf("%s raises %s at line %d when the token has no %q, which %s does not always send: for those users the login fails (\"%s%s\")", src, clip(e.Text, 160), e.Line, pf.RaisesWithout, pf.IdP, LogUserInfo, clip(e.Message, 160)),
			sev(engine.SeverityWarning), withEv("claim", pf.RaisesWithout, "exception", e.Text),
			withFix("Read it with a fallback (me.get(\"claim\") or \"\") before using it, or make the IdP always send it."))
	}
	for _, m := range pf.Missing {
		who := fmt.Sprintf("%s reads the claim %q with [...] (line %d)", src, m.Claim, m.Line)
		if m.Builtin != "" {
			who = fmt.Sprintf("FAB's built-in %s branch, which %s calls at line %d (super()), reads the claim %q with [...]", m.Builtin, src, m.Line, m.Claim)
		}
		what := fmt.Sprintf("%s, and %s: for those users it raises %s and the login fails (\"%s%s\")", who, m.Why, m.Exception, LogUserInfo, strings.TrimPrefix(m.Exception, "KeyError: "))
		level := engine.SeverityWarning
		switch {
		case m.Builtin != "" && l.p.Caveat != "":
			what, level = what+"; "+l.p.Caveat, engine.SeverityInfo
		case m.Builtin == "azure" && (m.Claim == "upn" || m.Claim == "email") && l.p.AzureEmail != AzureEmailUPN && l.p.AzureEmail != AzureEmailOnly:
			// The branch reads one of email and upn, whichever the token
			// has: only a user whose token has neither fails, which
			// depends on the directory (users without a mail address).
			what = fmt.Sprintf("FAB's built-in azure branch, which %s calls at line %d (super()), reads whichever of \"email\" and \"upn\" the token has, with [...]: a user whose token has neither (v2 tokens carry no upn unless configured; email needs a mail address and the email scope) gets %s and the login fails (\"%s%s\")", src, m.Line, m.Exception, LogUserInfo, strings.TrimPrefix(m.Exception, "KeyError: "))
			level = engine.SeverityInfo
		}
		at("ROL006", m.File, m.Line, what, sev(level), withEv("claim", m.Claim, "provider", pr.Name+" ("+pf.IdP+")"),
			withFix("Read it with .get(…) and a fallback, or make the IdP always emit it."))
	}
	for _, ev := range pf.Events {
		switch ev.Kind {
		case EventVerifyOff, EventSelfDecode:
			how := "decodes the " + orWord(ev.Token, "token") + " with verify_signature False"
			if ev.Kind == EventSelfDecode {
				how = "decodes the " + orWord(ev.Token, "token") + "'s payload itself (base64)"
			}
			at("CFG007", ev.File, ev.Line, fmt.Sprintf("%s %s at line %d, checking neither signature nor issuer, audience or expiry; %s", src, how, ev.Line, tokenChecks(pr, ev.Token)),
				sev(engine.SeverityInfo), withFix("Nothing is needed when authlib has verified the id_token; otherwise decode with the provider's keys (jwt.PyJWKClient(jwks_uri)) and audience=client_id."))
		case EventTLSOff:
			at("CFG020", ev.File, ev.Line, fmt.Sprintf("%s turns certificate checks off (verify=False) for its request to %s (line %d): anyone on the path can pose as the server and read or alter what travels (a token it sends, the user's data it gets), as over plain http", src, orWord(plainURLOf(ev.Detail), "the server"), ev.Line),
				withEv("request", ev.Detail), withFix("Drop verify=False; for a private CA pass verify=\"/path/to/ca.pem\" (or set REQUESTS_CA_BUNDLE)."))
		case EventRequest:
			if u := plainURLOf(ev.Detail); keycloakLostSegment.MatchString(u) {
				// remote.get("userinfo") on a base without its trailing
				// slash: urljoin replaced openid-connect with userinfo
				at("CFG013", ev.File, ev.Line, fmt.Sprintf("%s requests %s (line %d), which Keycloak does not serve: its user-info endpoint is …/protocol/openid-connect/userinfo; api_base_url has no trailing slash, so urljoin dropped its last segment, and the request gets 404", src, u, ev.Line),
					withEv("request", ev.Detail), withFix("End api_base_url with a slash (…/protocol/openid-connect/) so that \"userinfo\" is joined under it."))
			}
			if u := plainHTTPURL(ev.Detail); u != "" {
				at("CFG020", ev.File, ev.Line, fmt.Sprintf("%s requests %s over plain http (line %d): the request and its answer (a token it sends, keys or the user's data it gets) can be read and altered on the way", src, u, ev.Line),
					withEv("request", ev.Detail))
			}
		}
	}
	return out
}

// getterVerdict: CFG010 for an @appbuilder.sm.oauth_user_info_getter
// function, which no setting installs.
func (l *linter) getterVerdict() {
	uc := l.cfg.UserCode
	if uc == nil || uc.Setting != "" {
		return
	}
	if ref, ok := uc.Overrides[GetterKey]; ok {
		l.issues = append(l.issues, Issue{ID: "CFG010", File: ref.File, Line: max(ref.Line, 1), Name: ref.Name, Severity: engine.SeverityInfo,
			Message: fmt.Sprintf("%s is an @appbuilder.sm.oauth_user_info_getter function: it replaces the user-info step of every provider; %s", ref.Name, l.evaluated())})
	}
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func hasEvent(pf *ProviderFacts, kind string) bool {
	for _, e := range pf.Events {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

// tokenChecks says who checks a token the code decodes unverified.
func tokenChecks(pr *Provider, token string) string {
	if token == "id_token" {
		return whoChecks(pr)
	}
	return "it comes straight from the token endpoint over TLS, so a user cannot forge it, but nothing checks its audience or expiry"
}

// keycloakLostSegment is a Keycloak URL whose openid-connect segment a
// relative join replaced (…/realms/R/protocol/userinfo).
var keycloakLostSegment = lazyre.New(`/realms/[^/]+/protocol/(?:userinfo|token|certs|auth)$`)

// plainURLOf is the URL of a request's detail ("GET https://…").
func plainURLOf(detail string) string {
	if i := strings.IndexByte(detail, ' '); i >= 0 {
		return detail[i+1:]
	}
	return detail
}

// plainHTTPURL is the URL of a request ("GET http://…") when it is plain
// http to another host.
func plainHTTPURL(detail string) string {
	raw := plainURLOf(detail)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return ""
	}
	switch h := u.Hostname(); {
	case h == "localhost", h == "127.0.0.1", h == "::1", strings.HasSuffix(h, ".localhost"):
		return ""
	}
	return raw
}

// unknownNames: provider names the user-info code branches on that no
// OAUTH_PROVIDERS entry has (CFG026): that branch never runs; a warning
// when the name differs from a configured one only in case or spacing.
func (l *linter) unknownNames(provs []*Provider) {
	have := map[string]bool{}
	var names []string
	for _, pr := range provs {
		if pr.NameOK {
			have[pr.Name] = true
			names = append(names, pr.Name)
		}
	}
	if len(names) == 0 || len(names) < len(provs) {
		return // a name not known statically may be any
	}
	done := map[string]bool{}
	for _, n := range l.facts.Names {
		if have[n.Name] || done[n.Name] {
			continue
		}
		done[n.Name] = true
		near := ""
		for _, h := range names {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(n.Name)) {
				near = h
			}
		}
		msg := fmt.Sprintf("%s branches on the provider name %q (line %d), which no OAUTH_PROVIDERS entry has (%s): that branch never runs", l.facts.Source.Name, n.Name, n.Line, strings.Join(quoteAll(names), ", "))
		opts := []func(*Issue){sev(engine.SeverityInfo), withFix("Remove the dead branch, or compare with the configured name.")}
		if near != "" {
			msg += fmt.Sprintf("; it differs from the configured %q only in case or spacing, and names are compared exactly, so that provider's logins take another path", near)
			opts = []func(*Issue){sev(engine.SeverityWarning), withFix(fmt.Sprintf("Compare with %q, the provider's name as configured.", near))}
		}
		is := Issue{ID: "CFG026", File: orFile(n.File, l.cfg.File), Line: max(n.Line, 1), Message: msg}
		for _, o := range opts {
			o(&is)
		}
		l.issues = append(l.issues, is)
	}
}

// cfg010Evidence adds to CFG010 the built-in findings the evaluation
// showed do not apply to what the code does.
func (l *linter) cfg010Evidence() {
	note := l.droppedNote()
	if note == "" || l.cfg.UserCode == nil {
		return
	}
	for i := range l.issues {
		if l.issues[i].ID == "CFG010" && l.issues[i].Name == l.cfg.UserCode.Setting {
			l.issues[i].Message += "; findings of the built-in code that the evaluation shows do not apply were left out: " + note
			l.issues[i].Evidence = append(l.issues[i].Evidence, engine.Evidence{Key: "not applicable", Value: note})
		}
	}
}

// clip cuts s to about n bytes at a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
