package token

import (
	"fmt"
	"slices"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// registeredHeaders are the header parameters RFC 7515 §4.1 and RFC 7516
// §4.1 define: crit must not list them (RFC 7515 §4.1.11).
var registeredHeaders = []string{"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
	"enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"}

// CritProblem says why a header's crit member makes the JWS invalid for
// authdoctor (RFC 7515 §4.1.11): it names extensions authdoctor does not
// implement (it implements none), or it is malformed (not a non-empty
// array of strings, lists a parameter RFC 7515 defines or one the header
// does not carry). "" when there is no crit.
func CritProblem(h *Object) string {
	v, ok := h.Get("crit")
	if !ok {
		return ""
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return "crit must be a non-empty array of header parameter names"
	}
	var names []string
	for _, x := range list {
		s, ok := x.(string)
		if !ok {
			return "crit must list header parameter names (strings)"
		}
		if slices.Contains(registeredHeaders, s) {
			return fmt.Sprintf("crit lists %q, which RFC 7515 defines and crit must not name", s)
		}
		if _, present := h.Get(s); !present {
			return fmt.Sprintf("crit lists %q, which the header does not carry", s)
		}
		names = append(names, s)
	}
	return fmt.Sprintf("crit marks %s as critical, an extension authdoctor does not implement, so the JWS must be rejected (PyJWT rejects unknown critical extensions too)", strings.Join(names, ", "))
}

// checkCrit is TOK001 for a critical header extension (RFC 7515 §4.1.11).
func checkCrit(rep *engine.Report, d *Decoded) {
	if p := CritProblem(d.Header); p != "" {
		rep.Add("TOK001", fmt.Sprintf("%s is not a JWS authdoctor can accept (RFC 7515 §4.1.11): %s", the(d.Label), p),
			engine.At(engine.Subject{Name: d.Label + " header crit"}), engine.With("input", "unsupported critical header extension"),
			engine.FixHint("Issue tokens without crit (or with extensions the consuming app implements); an IdP does not add crit to ID tokens, so check where this token came from."))
	}
}

// KeyHeaders lists the header members that name or carry a key (jwk,
// jku, x5u, x5c): authdoctor never fetches or trusts them (RFC 8725
// §3.10); keys come only from the key set configured.
func KeyHeaders(h *Object) []string {
	var out []string
	for _, k := range []string{"jwk", "jku", "x5u", "x5c"} {
		if _, ok := h.Get(k); ok {
			out = append(out, k)
		}
	}
	return out
}
