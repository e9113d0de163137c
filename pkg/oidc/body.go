// Package oidc analyses OpenID Connect discovery documents and JSON Web
// Key Sets from bytes: it produces the DSC and JWK findings of the check
// catalogue into an engine.Report plus typed results (the document's
// members, each key's properties, Go public keys). It does no I/O: the
// caller fetches (pkg/netx) or reads a file and hands over the body.
package oidc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"sort"
	"strings"
	"unicode/utf8"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// bodyShape is what a body looks like before it is used.
type bodyShape struct {
	object bool   // a JSON object: usable
	what   string // for people: "an HTML page (title \"Sign in\")", "truncated JSON …"
	// excerptOK is false when the first bytes may hold secrets (JSON-ish
	// content of a key set) and must not be shown.
	excerptOK bool
	bom       bool
	trimmed   []byte
}

var titleRe = lazyre.New(`(?is)<title[^>]*>(.*?)</title>`)

// sniff classifies a body.
func sniff(body []byte, contentType string) bodyShape {
	b := body
	s := bodyShape{}
	if bytes.HasPrefix(b, utf8BOM) {
		b = b[len(utf8BOM):]
		s.bom = true
	}
	b = bytes.TrimSpace(b)
	s.trimmed = b
	ct := strings.ToLower(contentType)
	switch {
	case len(b) == 0:
		s.what = "the body is empty"
		return s
	case b[0] == '<':
		s.excerptOK = true
		low := strings.ToLower(string(b[:min(len(b), 2048)]))
		if strings.Contains(low, "<html") || strings.Contains(low, "<!doctype html") || strings.Contains(ct, "html") {
			s.what = "an HTML page"
			if m := titleRe.FindSubmatch(b); m != nil {
				title := strings.Join(strings.Fields(string(m[1])), " ")
				if title != "" {
					if utf8.RuneCountInString(title) > 80 {
						title = string([]rune(title)[:80]) + "…"
					}
					s.what += fmt.Sprintf(" titled %q", title)
				}
			}
			s.what += ", not JSON: a proxy, captive portal, SSO gateway or error page answered instead of the IdP"
			return s
		}
		s.what = "an XML document, not JSON (SAML metadata or an XML error page?)"
		return s
	}
	if json.Valid(b) {
		switch b[0] {
		case '{':
			s.object = true
			s.what = "a JSON object"
		case '[':
			s.what = "a JSON array, not an object"
		case '"':
			s.what = "a JSON string, not an object"
			s.excerptOK = true
		default:
			s.what = "a bare JSON value (" + jsonKind(b) + "), not an object"
			s.excerptOK = true
		}
		return s
	}
	if b[0] == '{' || b[0] == '[' {
		var v any
		err := json.Unmarshal(b, &v)
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se) && strings.Contains(se.Error(), "unexpected end"):
			s.what = fmt.Sprintf("truncated JSON: the body ends after %d bytes in the middle of a value", len(b))
		case errors.As(err, &se):
			s.what = fmt.Sprintf("invalid JSON: %v (at byte %d)", err, se.Offset)
		case err != nil:
			s.what = fmt.Sprintf("invalid JSON: %v", err)
		default:
			s.what = "invalid JSON"
		}
		return s
	}
	s.excerptOK = true
	if !utf8.Valid(b) {
		s.what = "binary data, not JSON"
	} else {
		s.what = "plain text, not JSON"
	}
	return s
}

func jsonKind(b []byte) string {
	switch {
	case bytes.Equal(b, []byte("null")):
		return "null"
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		return "a boolean"
	}
	return "a number"
}

// typeName names the JSON type of a raw value.
func typeName(raw json.RawMessage) string {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func memberNames(m map[string]json.RawMessage, max int) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) > max {
		return strings.Join(names[:max], ", ") + fmt.Sprintf(", … (%d members)", len(names))
	}
	return strings.Join(names, ", ")
}
