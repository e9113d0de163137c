package verify

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// scanClaims reads the members the fast path needs from a JWT payload
// without reflection. It accepts only a plain, well-formed JSON object;
// anything unusual (escapes in names, a duplicate wanted member,
// malformed input) makes it give up, and the caller then runs the full
// diagnosis, so a give-up is never a wrong answer. What it accepts, the
// full diagnosis's decoder (token.ParseObject) accepts too, with the same
// values: FuzzScanClaims compares the two.
func scanClaims(b []byte) (c fastClaims, ok bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return c, false
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return c, skipWS(b, i+1) == len(b)
	}
	seen := 0
	for {
		if i >= len(b) || b[i] != '"' {
			return c, false
		}
		ks := i + 1
		ke := ks
		for ke < len(b) && b[ke] != '"' {
			if b[ke] == '\\' || b[ke] < 0x20 {
				return c, false
			}
			ke++
		}
		if ke >= len(b) {
			return c, false
		}
		key := b[ks:ke]
		i = skipWS(b, ke+1)
		if i >= len(b) || b[i] != ':' {
			return c, false
		}
		vs := skipWS(b, i+1)
		ve, good := skipValue(b, vs, 0)
		if !good {
			return c, false
		}
		raw := b[vs:ve]
		var bit int
		switch string(key) { // no allocation: the compiler switches on the bytes
		case "iss":
			bit = 1
			if c.Iss, good = jsonString(raw); !good {
				return c, false
			}
		case "aud":
			bit = 2
			c.Aud = json.RawMessage(raw)
		case "exp", "nbf", "iat":
			if raw[0] == '"' || raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f' || raw[0] == 'n' {
				return c, false
			}
			switch string(key) {
			case "exp":
				bit, c.Exp = 4, raw
			case "nbf":
				bit, c.Nbf = 8, raw
			case "iat":
				bit, c.Iat = 16, raw
			}
		case "tid":
			bit = 32
			if c.Tid, good = jsonString(raw); !good {
				return c, false
			}
		case "_claim_names":
			bit = 64
			c.ClaimNames = json.RawMessage(raw)
		case "hasgroups":
			bit = 128
			c.HasGroups = json.RawMessage(raw)
		case "sub", "oid", "azp", "appid", "client_id":
			factString(&c, string(key), raw)
		}
		if bit != 0 {
			if seen&bit != 0 {
				return c, false // duplicate member: let the full path decide
			}
			seen |= bit
		}
		i = skipWS(b, ve)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			return c, skipWS(b, i+1) == len(b)
		}
		return c, false
	}
}

// factString keeps the text of a member read only for token.Facts (the
// last of duplicates wins, as in Object).
func factString(c *fastClaims, key string, raw []byte) {
	switch key {
	case "sub":
		c.Sub = raw
	case "oid":
		c.Oid = raw
	case "azp":
		c.Azp = raw
	case "appid":
		c.Appid = raw
	case "client_id":
		c.ClientID = raw
	}
}

// jsonString decodes a JSON string value: directly when it has no escape
// and is valid UTF-8 (the usual claim), through encoding/json otherwise,
// which replaces invalid UTF-8 with U+FFFD as the full diagnosis's decoder
// does.
func jsonString(raw []byte) (string, bool) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		plain := true
		for _, ch := range raw[1 : len(raw)-1] {
			if ch == '\\' || ch == '"' || ch < 0x20 {
				plain = false
				break
			}
		}
		if plain && utf8.Valid(raw[1:len(raw)-1]) {
			return string(raw[1 : len(raw)-1]), true
		}
	}
	var s string
	if !json.Valid(raw) || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value starting at i.
func skipValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) || depth > 32 {
		return i, false
	}
	switch c := b[i]; {
	case c == '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				n := escapeLen(b[j+1:])
				if n == 0 {
					return j, false // encoding/json refuses \0, \x, a short \u
				}
				j += n
			case '"':
				return j + 1, true
			default:
				if b[j] < 0x20 {
					return j, false
				}
			}
		}
		return len(b), false
	case c == '{' || c == '[':
		closeCh := byte('}')
		if c == '[' {
			closeCh = ']'
		}
		j := skipWS(b, i+1)
		if j < len(b) && b[j] == closeCh {
			return j + 1, true
		}
		for {
			if c == '{' {
				k, ok := skipValue(b, j, depth+1)
				if !ok || k >= len(b) || b[k-1] != '"' {
					return k, false
				}
				j = skipWS(b, k)
				if j >= len(b) || b[j] != ':' {
					return j, false
				}
				j = skipWS(b, j+1)
			}
			k, ok := skipValue(b, j, depth+1)
			if !ok {
				return k, false
			}
			j = skipWS(b, k)
			if j < len(b) && b[j] == ',' {
				j = skipWS(b, j+1)
				continue
			}
			if j < len(b) && b[j] == closeCh {
				return j + 1, true
			}
			return j, false
		}
	default:
		j := i
		for j < len(b) && strings.IndexByte(",}] \t\r\n", b[j]) < 0 {
			j++
		}
		if j == i || !json.Valid(b[i:j]) {
			return j, false
		}
		return j, true
	}
}

// escapeLen is the length of the valid JSON escape that follows a
// backslash at the start of b (1, or 5 for \uXXXX), or 0 when there is
// none: JSON allows only \" \\ \/ \b \f \n \r \t and \u with four hex digits.
func escapeLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	switch b[0] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 1
	case 'u':
		if len(b) < 5 {
			return 0
		}
		for _, h := range b[1:5] {
			if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
				return 0
			}
		}
		return 5
	}
	return 0
}
