package verify

import (
	"encoding/json"
	"strings"
)

// scanClaims reads the members the fast path needs from a JWT payload
// without reflection. It accepts only a plain, well-formed JSON object;
// anything unusual (escapes in names, a duplicate wanted member,
// malformed input) makes it give up, and the caller then runs the full
// diagnosis, so a give-up is never a wrong answer.
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
		key := string(b[ks:ke])
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
		switch key {
		case "iss":
			bit = 1
			if !json.Valid(raw) || json.Unmarshal(raw, &c.Iss) != nil {
				return c, false
			}
		case "aud":
			bit = 2
			c.Aud = json.RawMessage(raw)
		case "exp", "nbf", "iat":
			bit = map[string]int{"exp": 4, "nbf": 8, "iat": 16}[key]
			if raw[0] == '"' || raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f' || raw[0] == 'n' {
				return c, false
			}
			n := json.Number(raw)
			switch key {
			case "exp":
				c.Exp = &n
			case "nbf":
				c.Nbf = &n
			case "iat":
				c.Iat = &n
			}
		case "tid":
			bit = 32
			if json.Unmarshal(raw, &c.Tid) != nil {
				return c, false
			}
		case "_claim_names":
			bit = 64
			c.ClaimNames = json.RawMessage(raw)
		case "hasgroups":
			bit = 128
			c.HasGroups = json.RawMessage(raw)
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
				j++
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
