package config

import (
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// Redacted replaces secrets in output.
const Redacted = "<redacted>"

type secrecy int

const (
	notSecret secrecy = iota
	// maybeSecret: named *KEY* or *TOKEN*: redacted unless the value is
	// plainly not a secret (empty, a URL or a path).
	maybeSecret
	// secret: named *SECRET*, *PASSWORD*, *PRIVATE*, *CREDENTIAL*.
	secret
)

// names that contain a secret word but hold field names, URLs, paths or
// switches (FAB's token_key is "access_token", not a token).
var notSecretNames = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"token_key": true, "token_secret": true, "auth_oauth_role_keys": true,
	}
})

var notSecretSuffixes = []string{"_url", "_uri", "_urls", "_params", "_prefix", "_func", "_field", "_method",
	"_methods", "_file", "_path", "_dir", "_name", "_header", "_enabled", "_timeout", "_check", "_algorithm",
	"_length", "_lifetime", "_age", "_type", "_location"}

func classify(name string) secrecy {
	n := strings.ToLower(name)
	if n == "" || notSecretNames()[n] || strings.Contains(n, "public") {
		return notSecret
	}
	for _, s := range notSecretSuffixes {
		if strings.HasSuffix(n, s) {
			return notSecret
		}
	}
	for _, w := range []string{"secret", "password", "passwd", "private", "credential"} {
		if strings.Contains(n, w) {
			return secret
		}
	}
	for _, w := range []string{"key", "token", "pwd", "apikey", "auth_header"} {
		if strings.Contains(n, w) {
			return maybeSecret
		}
	}
	return notSecret
}

var urlPassword = lazyre.New(`([A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@]*:)([^@/\s]+)(@)`)

// redactString applies the rules to one string under a name's secrecy.
func redactString(level secrecy, s string) string {
	switch level {
	case secret:
		if s != "" {
			return Redacted
		}
	case maybeSecret:
		if s != "" && !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "/") {
			return Redacted
		}
	}
	if strings.Contains(s, "@") {
		return urlPassword.ReplaceAllString(s, "${1}"+Redacted+"${3}")
	}
	return s
}

// RedactJSON returns v (a pyread.ToJSON tree) with secrets replaced by
// <redacted>: every string below a setting or key named like a secret
// (client_secret, SECRET_KEY, *PASSWORD*, *SECRET*, *TOKEN*, *KEY*, with
// field-name and URL exceptions such as token_key and
// request_token_url), and the password part of URLs such as
// postgresql://user:password@host. name is the setting name.
func RedactJSON(name string, v any) any {
	return redactJSON(classify(name), v)
}

func redactJSON(level secrecy, v any) any {
	switch x := v.(type) {
	case string:
		return redactString(level, x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactJSON(level, e)
		}
		return out
	case *pyread.Object:
		out := &pyread.Object{Keys: x.Keys, Values: make(map[string]any, len(x.Values))}
		for _, k := range x.Keys {
			l := classify(k)
			if l < level {
				l = level
			}
			out.Values[k] = redactJSON(l, x.Values[k])
		}
		return out
	}
	return v
}

// IsSecretName reports whether a setting or key name is treated as a
// secret (always or when its value looks like one).
func IsSecretName(name string) bool { return classify(name) != notSecret }
