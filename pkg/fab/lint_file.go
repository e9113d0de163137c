package fab

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/lazyre"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

var secretSettings = []string{"SECRET_KEY", "AUTH_LDAP_BIND_PASSWORD", "MAIL_PASSWORD", "RECAPTCHA_PRIVATE_KEY"}

var uriPassword = lazyre.New(`^[a-zA-Z][a-zA-Z0-9+.-]*://[^/:@\s]+:[^/@\s]+@`)

// CFG006: secrets written in the file. The value is never printed.
func (l *linter) secrets() {
	for _, n := range secretSettings {
		if s, ok := l.cfg.Get(n); ok {
			if v, ok := Str(s.Value); ok && v != "" {
				l.secret(v, s.Line, n, n, n)
			}
		}
	}
	if s, ok := l.cfg.Get("SQLALCHEMY_DATABASE_URI"); ok {
		if v, ok := Str(s.Value); ok && uriPassword.MatchString(v) {
			l.secret(uriPasswordOf(v), s.Line, "SQLALCHEMY_DATABASE_URI", "the password in SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_DATABASE_URI")
		}
	}
	for _, p := range l.cfg.Printed {
		when := "every time the config is loaded (each webserver, scheduler and worker start)"
		if p.InCode {
			when = "whenever the code around it runs (at start-up or at a login)"
		}
		l.add("CFG006", p.Line, fmt.Sprintf("line %d prints %s: %s the secret goes to the process's output and the logs that collect it", p.Line, p.Name, when),
			named(p.Name), withFix("Remove the print (or log only whether the variable is set: bool(os.environ.get(\"NAME\")))."))
	}
	for _, pr := range l.cfg.Providers() {
		if pr.Remote == nil {
			continue
		}
		if v, ok := pr.RemoteStr("client_secret"); ok && v != "" {
			name := pr.Name
			if !pr.NameOK {
				name = strconv.Itoa(pr.Index)
			}
			l.secret(v, pr.RemoteLine("client_secret"), "client_secret", fmt.Sprintf("the client_secret of provider %q", name),
				"OAUTH_PROVIDERS", strconv.Itoa(pr.Index), "remote_app", "client_secret")
		}
	}
}

// secret reports one secret value by where it comes from: written in the
// file (a placeholder only at info), or the literal default of an
// environment lookup, which is the secret wherever the variable is unset.
func (l *linter) secret(v string, line int, name, what string, path ...string) {
	redacted := withEv("value", engine.Redacted)
	switch l.cfg.origin(path...) {
	case OriginLiteral:
		if Placeholder(v) {
			l.add("CFG006", line, what+" is a placeholder: make sure the deployment replaces it (until it does, this is the value in use)", named(name), redacted, sev(engine.SeverityInfo))
			return
		}
		l.add("CFG006", line, what+" is written in the file", named(name), redacted)
	case OriginEnvDefault:
		if Placeholder(v) {
			return // os.getenv("X", "NOT_SET"): a marker, not a secret
		}
		l.add("CFG006", line, what+" falls back to a default written in the file whenever its environment variable is unset: that default is the secret of every deployment that forgets to set it", named(name), redacted,
			withFix("Drop the default (os.environ[\"NAME\"] fails loudly when it is unset) or generate the secret at deploy time."))
	}
}

// uriPasswordOf is the password part of scheme://user:password@host.
func uriPasswordOf(u string) string {
	rest := u[strings.Index(u, "://")+3:]
	rest = rest[:strings.IndexByte(rest, '@')]
	return rest[strings.IndexByte(rest, ':')+1:]
}

// Placeholder reports a value that stands for a secret rather than being
// one: template syntax (${X}, {{ x }}, <x>, %(x)s, $X), filler (xxxxxxxx,
// ********), "your-…", "not set", "changeme"-like wording, or an
// upper-case name of what belongs there (OAUTH_CLIENT_SECRET).
func Placeholder(v string) bool {
	t := strings.TrimSpace(v)
	lower := strings.ToLower(t)
	switch {
	case strings.HasPrefix(t, "${") && strings.HasSuffix(t, "}"),
		strings.HasPrefix(t, "{{") && strings.HasSuffix(t, "}}"),
		strings.HasPrefix(t, "<") && strings.HasSuffix(t, ">"),
		strings.HasPrefix(t, "%(") && strings.HasSuffix(t, ")s"),
		strings.HasPrefix(t, "$") && len(t) > 1 && strings.Trim(t[1:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == "",
		strings.HasPrefix(lower, "your-") || strings.HasPrefix(lower, "your_") || strings.HasPrefix(lower, "your "),
		strings.HasPrefix(lower, "your") && slotWord.MatchString(lower[4:]):
		return true
	}
	if len(t) >= 3 && strings.Count(t, t[:1]) == len(t) && strings.ContainsAny(t[:1], "xX*.#-_0?") {
		return true
	}
	if placeholderWord.MatchString(t) {
		return true
	}
	return nameLike(t) || describes(t)
}

// describes: three or more words saying what belongs there ("Twitter
// Consumer Secret", "your client secret here"); a secret has no spaces,
// and a two-word "super secret" is a weak secret in use.
func describes(t string) bool {
	words := strings.Fields(strings.ToLower(t))
	if len(words) < 3 || len(t) > 80 {
		return false // "super secret" is a (weak) value in use, not a description
	}
	for _, w := range words {
		switch w {
		case "secret", "key", "password", "token", "id":
			return true
		}
	}
	return false
}

// slotWord is what follows "your" in a run-together placeholder
// ("yoursecret", "yourclientsecret").
var slotWord = lazyre.New(`^(?:client)?(?:secret|password|key|token|id|clientid)(?:here)?$`)

// placeholderWord marks a value as standing for a secret: no real secret
// says, as a word of its own, that it is not set, to be changed, or an
// example ("exampleexample…Xb7bGG", a secret with its start blanked out,
// is not one).
var placeholderWord = lazyre.New(`(?i)(?:^|[^a-z0-9])(?:not[_ -]?set|change[_ -]?me|replace[_ -]?me|placeholder|dummy|example|todo|fixme)(?:[^a-z0-9]|$)`)

// nameLike: an upper-case identifier naming what belongs there
// ('OAUTH_CLIENT_SECRET', 'CLIENT_ID_HERE'): words joined by underscores,
// one of them saying what it stands for. Generated secrets have no such
// words (base32 secrets have no underscores).
func nameLike(t string) bool {
	if len(t) > 64 || strings.Trim(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		return false
	}
	if !strings.Contains(t, "_") {
		// a lone word: 'PASSWORD' in clickhouse://default:PASSWORD@HOST
		return t == "SECRET" || t == "PASSWORD" || t == "TOKEN"
	}
	for _, part := range strings.Split(t, "_") {
		switch part {
		case "SECRET", "PASSWORD", "PASS", "KEY", "TOKEN", "CLIENT", "ID", "HERE":
			return true
		}
	}
	return false
}

// CFG009.
func (l *linter) csrf() {
	if s, ok := l.cfg.Get("WTF_CSRF_ENABLED"); ok {
		if t, known := Truthy(s.Value); known && !t {
			l.add("CFG009", s.Line, "WTF_CSRF_ENABLED is False: every form of the app loses CSRF protection")
		}
	}
}

// CFG010 and the security-manager part of CFG012.
func (l *linter) securityManager() {
	for _, n := range []string{"SECURITY_MANAGER_CLASS", "CUSTOM_SECURITY_MANAGER", "FAB_SECURITY_MANAGER_CLASS"} {
		s, ok := l.cfg.Get(n)
		if !ok || s.Value == nil {
			continue
		}
		msg, level := l.userCodeVerdict(n)
		switch {
		case n == "CUSTOM_SECURITY_MANAGER" && l.p.Airflow:
			msg, level = n+" is Superset's setting: Airflow ignores it (Airflow reads SECURITY_MANAGER_CLASS), so the class it names never runs", l.ignoredManager("SECURITY_MANAGER_CLASS")
		case n == "SECURITY_MANAGER_CLASS" && l.p.Superset:
			msg, level = n+" is Airflow's setting: Superset ignores it (Superset reads CUSTOM_SECURITY_MANAGER), so the class it names never runs", l.ignoredManager("CUSTOM_SECURITY_MANAGER")
		}
		l.add("CFG010", s.Line, msg, named(n), sev(level))
		if n == "SECURITY_MANAGER_CLASS" && l.p.Flavor == Airflow3 {
			if v, ok := Str(s.Value); ok {
				l.add("CFG012", s.Line, fmt.Sprintf("SECURITY_MANAGER_CLASS is the string %q: Airflow 3 needs the class object itself, a subclass of FabAirflowSecurityManagerOverride", v),
					withFix("Import the class and assign it: from mymodule import MySecurityManager; SECURITY_MANAGER_CLASS = MySecurityManager"))
			}
		}
	}
}

// ignoredManager: a security manager installed under the other
// application's key never runs - a warning, unless the file also sets the
// key this application reads (a config shared by both).
func (l *linter) ignoredManager(reads string) engine.Severity {
	if s, ok := l.cfg.Get(reads); ok && s.Value != nil {
		return engine.SeverityInfo
	}
	return engine.SeverityWarning
}

// CFG012: imports that fail on Airflow 3 (spec §6.4).
func (l *linter) airflow3Imports() {
	if l.p.Flavor != Airflow3 {
		for _, im := range l.cfg.Imports {
			if im.Name == "AUTH_OID" && !l.p.AuthOIDAvailable {
				l.sum.Notes = append(l.sum.Notes, fmt.Sprintf("line %d imports AUTH_OID, which Flask-AppBuilder 5 removed: ImportError at start-up", im.Line))
			}
		}
		return
	}
	for _, im := range l.cfg.Imports {
		switch {
		case im.Module == "airflow.www" || strings.HasPrefix(im.Module, "airflow.www."):
			l.add("CFG012", im.Line, fmt.Sprintf("imports from %s, which Airflow 3 removed: ImportError, and the api-server does not start", im.Module),
				withFix("Import AUTH_* from flask_appbuilder.const; subclass airflow.providers.fab.auth_manager.security_manager.override.FabAirflowSecurityManagerOverride."))
		case im.Name == "AUTH_OID":
			l.add("CFG012", im.Line, "imports AUTH_OID, which Flask-AppBuilder 5 (used by Airflow 3's FAB provider) removed: ImportError at start-up")
		}
	}
	if at, known, present := l.cfg.AuthType(); known && present && at == AuthOID {
		l.add("CFG012", l.cfg.Line("AUTH_TYPE"), "AUTH_TYPE is AUTH_OID (0), which Flask-AppBuilder 5 no longer supports")
	}
}

var perProcess = lazyre.New(`os\.urandom|secrets\.|uuid4|uuid\.uuid1|time\.time|datetime\.now|datetime\.utcnow|random\.|token_hex|token_urlsafe`)

// CFG016.
func (l *linter) secretKeyPerProcess() {
	s, ok := l.cfg.Get("SECRET_KEY")
	if !ok {
		return
	}
	var text string
	switch v := s.Value.(type) {
	case *Opaque:
		text = v.Source + " " + s.Source
	case *Unresolved:
		text = v.Callee + " " + s.Source
	default:
		return
	}
	if m := perProcess.FindString(text); m != "" {
		l.add("CFG016", s.Line, fmt.Sprintf("SECRET_KEY is computed when the process starts (%s…): each replica and each restart signs sessions differently → \"mismatching_state: CSRF Warning! State not equal in request and response.\" and random log-outs", m),
			named("SECRET_KEY"))
	}
}

// boolSettings are settings FAB, Flask and the apps test for truth.
var boolSettings = []string{"AUTH_USER_REGISTRATION", "AUTH_ROLES_SYNC_AT_LOGIN", "WTF_CSRF_ENABLED",
	"AUTH_API_LOGIN_ALLOW_MULTIPLE_PROVIDERS", "AUTH_USERNAME_CI", "AUTH_RATE_LIMITED", "RATELIMIT_ENABLED",
	"FAB_ADD_SECURITY_VIEWS", "FAB_API_SWAGGER_UI", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
	"ENABLE_PROXY_FIX", "AUTH_LDAP_USE_TLS", "AUTH_LDAP_ALLOW_SELF_SIGNED", "TALISMAN_ENABLED"}

// envBoolDefault matches a whole setting read from the environment with a
// boolean default: os.getenv("X", False), os.environ.get("X", True).
var envBoolDefault = lazyre.New(`^os\.(?:getenv|environ\.get)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*,\s*(True|False)\s*\)$`)

// envBoolBare is a boolean setting read from the environment with no
// conversion and no default: None (false) while unset, a string once set.
var envBoolBare = lazyre.New(`^os\.(?:getenv|environ\.get)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\)$|^os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]$`)

// CFG022: a boolean setting that is a string: any non-empty string is
// true, so "False", "0" and "no" turn the feature on.
func (l *linter) boolStrings() {
	for _, n := range boolSettings {
		s, ok := l.cfg.Get(n)
		if !ok {
			continue
		}
		if v, isStr := s.Value.(string); isStr {
			if looksFalse(v) {
				l.add("CFG022", s.Line, fmt.Sprintf("%s is the string %q, and FAB tests it for truth: any non-empty string is true, so %s is on", n, v, n), named(n),
					withFix(fmt.Sprintf("Convert it: %s = os.getenv(\"…\", \"False\").lower() in (\"true\", \"1\", \"yes\").", n)))
			}
			continue
		}
		if m := envBoolDefault.FindStringSubmatch(strings.TrimSpace(s.Source)); m != nil {
			l.add("CFG022", s.Line, fmt.Sprintf("%s is %s only while %s is unset: whenever the deployment sets %s, the value is a string, and any non-empty string (even \"False\") is true", n, m[2], m[1], m[1]), named(n),
				sev(engine.SeverityInfo), withFix(fmt.Sprintf("Convert it: %s = os.getenv(%q, %q).lower() in (\"true\", \"1\", \"yes\").", n, m[1], m[2])))
		} else if m := envBoolBare.FindStringSubmatch(strings.TrimSpace(s.Source)); m != nil {
			v := m[1] + m[2]
			l.add("CFG022", s.Line, fmt.Sprintf("%s is the environment variable %s as a string, never converted: any non-empty value (even \"False\" or \"0\") turns it on", n, v), named(n),
				sev(engine.SeverityInfo), withFix(fmt.Sprintf("Convert it: %s = os.getenv(%q, \"False\").lower() in (\"true\", \"1\", \"yes\").", n, v)))
		}
	}
}

// looksFalse: a string someone meant as false.
func looksFalse(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "0", "no", "off", "n", "f", "none", "null":
		return true
	}
	return false
}
