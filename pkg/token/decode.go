// Package token extracts, decodes and identifies JWTs without verifying
// them, and makes the findings a decode alone can make.
package token

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// Candidate is one token found in the input.
type Candidate struct {
	// Label names it: "token", or the member of a token response
	// ("id_token", "access_token", "refresh_token").
	Label string
	Raw   string
}

// InputProblem explains why the input holds no decodable token (TOK001).
type InputProblem struct {
	Label   string
	Kind    string // empty, json, jwe, opaque, segments, base64, header, payload
	Message string
	Part    string // header, payload or signature, where relevant
}

func (p *InputProblem) Error() string { return p.Message }

// Notice is a remark about the input that is not a finding (an opaque
// access token in a token response, say).
type Notice string

// Extract finds the tokens in what a user pasted or piped: a bare token,
// "Bearer …", an Authorization header, quotes and line breaks around it, a
// token-endpoint JSON response, or a JWS in flattened JSON serialization.
func Extract(input []byte) ([]Candidate, []Notice, *InputProblem) {
	s := strings.TrimSpace(strings.TrimPrefix(string(input), "\ufeff"))
	if s == "" {
		return nil, nil, &InputProblem{Label: "token", Kind: "empty", Message: "the input is empty: no token was given"}
	}
	if strings.HasPrefix(s, "{") {
		return extractJSON([]byte(s))
	}
	s = stripWrapping(s)
	if strings.HasPrefix(s, "{") {
		return extractJSON([]byte(s))
	}
	return []Candidate{{Label: "token", Raw: s}}, nil, nil
}

func stripWrapping(s string) string {
	for {
		before := s
		s = strings.TrimSpace(s)
		if len(s) >= 2 && (s[0] == '"' || s[0] == '\'' || s[0] == '`') && s[len(s)-1] == s[0] {
			s = s[1 : len(s)-1]
		}
		low := strings.ToLower(s)
		if strings.HasPrefix(low, "authorization:") {
			s = s[len("authorization:"):]
		}
		low = strings.ToLower(strings.TrimSpace(s))
		if strings.HasPrefix(low, "bearer ") || strings.HasPrefix(low, "bearer\t") {
			s = strings.TrimSpace(s)[7:]
		}
		if s == before {
			break
		}
	}
	// Tokens copied from a terminal or a log wrap over lines; JWTs hold no
	// white space, so remove all of it.
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

var responseMembers = []string{"id_token", "access_token", "refresh_token"}

func extractJSON(b []byte) ([]Candidate, []Notice, *InputProblem) {
	obj, _, err := ParseObject(b)
	if err != nil {
		return nil, nil, &InputProblem{Label: "token", Kind: "json", Message: "the input starts like JSON but cannot be read: " + err.Error()}
	}
	// JWS JSON serialization (RFC 7515 §7.2.2, flattened): rebuild the
	// compact form.
	if p, ok := obj.Get("payload"); ok {
		prot, _ := obj.Get("protected")
		sig, _ := obj.Get("signature")
		ps, _ := p.(string)
		prs, _ := prot.(string)
		ss, _ := sig.(string)
		if prs != "" {
			return []Candidate{{Label: "jws", Raw: prs + "." + ps + "." + ss}},
				[]Notice{"the input is a JWS in flattened JSON serialization; it was read as its compact form"}, nil
		}
		if _, multi := obj.Get("signatures"); multi {
			return nil, nil, &InputProblem{Label: "token", Kind: "json", Message: "the input is a JWS in general JSON serialization (several signatures); pass one signature in compact form"}
		}
	}
	var out []Candidate
	var notes []Notice
	for _, m := range responseMembers {
		v, ok := obj.Get(m)
		if !ok {
			continue
		}
		s, _ := v.(string)
		s = strings.TrimSpace(s)
		switch strings.Count(s, ".") {
		case 2, 4:
			out = append(out, Candidate{Label: m, Raw: s})
		default:
			if s != "" {
				notes = append(notes, Notice(fmt.Sprintf("%s is an opaque token (%d characters), not a JWT: only the IdP can read it", m, len(s))))
			}
		}
	}
	if len(out) == 0 {
		keys := make([]string, 0, len(obj.Members))
		for _, m := range obj.Members {
			keys = append(keys, m.Key)
		}
		msg := "the input is a JSON object without a JWT in id_token, access_token or refresh_token"
		if len(keys) > 0 {
			msg += fmt.Sprintf(" (its members: %s)", strings.Join(limit(keys, 8), ", "))
		}
		if len(notes) > 0 {
			msg += "; " + string(notes[0])
		}
		return nil, nil, &InputProblem{Label: "token", Kind: "json", Message: msg}
	}
	return out, notes, nil
}

func limit(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

// Decoded is a JWS JWT taken apart. Raw is kept for verification but is
// never printed.
type Decoded struct {
	Label  string
	Raw    string
	Header *Object
	Claims *Object
	// SignatureLen is the decoded signature's size in bytes.
	SignatureLen int
	// DuplicateClaims lists member names that appeared twice.
	DuplicateClaims []string
	// PaddedBase64 is true when a segment carried '=' padding (tolerated).
	PaddedBase64 bool
}

// Fingerprint is a short, non-reversible identifier of the token: the
// first 12 hex digits of SHA-256 over it. Safe to print.
func (d *Decoded) Fingerprint() string { return Fingerprint(d.Raw) }

// Fingerprint of any token text.
func Fingerprint(raw string) string { return FingerprintOf(sha256.Sum256([]byte(raw))) }

// FingerprintOf is the fingerprint of a text whose SHA-256 is sum.
func FingerprintOf(sum [sha256.Size]byte) string {
	return string(AppendFingerprint(make([]byte, 0, 19), [FingerprintBytes]byte(sum[:FingerprintBytes])))
}

// FingerprintBytes is how many bytes of the SHA-256 a fingerprint shows.
const FingerprintBytes = 6

// AppendFingerprint appends the fingerprint whose SHA-256 starts with
// prefix (for a caller that keeps only those bytes).
func AppendFingerprint(b []byte, prefix [FingerprintBytes]byte) []byte {
	return hex.AppendEncode(append(b, "sha256:"...), prefix[:])
}

// Alg is the header's alg.
func (d *Decoded) Alg() string { return d.Header.String("alg") }

// Kid is the header's kid, or its x5t when it has no kid (2014-era Entra
// v1 tokens carry only x5t; Entra's kid equals x5t).
func (d *Decoded) Kid() string {
	if k := d.Header.String("kid"); k != "" {
		return k
	}
	return d.Header.String("x5t")
}

// Decode takes a compact JWS apart. It does not verify anything.
func Decode(c Candidate) (*Decoded, *InputProblem) {
	raw := c.Raw
	parts := strings.Split(raw, ".")
	prob := func(kind, part, format string, a ...any) *InputProblem {
		return &InputProblem{Label: c.Label, Kind: kind, Part: part, Message: fmt.Sprintf(format, a...)}
	}
	switch len(parts) {
	case 3:
	case 5:
		return nil, prob("jwe", "", "%s has 5 parts: it is an encrypted JWE, not a signed JWT; only the holder of the decryption key can read it", the(c.Label))
	case 1:
		if looksBase64(raw) {
			return nil, prob("opaque", "", "%s has no dots: it is an opaque (reference) token of %d characters, not a JWT; only the IdP can read it (introspection)", the(c.Label), len(raw))
		}
		return nil, prob("segments", "", "%s", describeText(raw))
	default:
		return nil, prob("segments", "", "%s has %d dot-separated parts; a signed JWT has 3 (header.payload.signature)", the(c.Label), len(parts))
	}
	d := &Decoded{Label: c.Label, Raw: raw}
	names := []string{"header", "payload", "signature"}
	var seg [3][]byte
	for i, p := range parts {
		b, padded, err := b64(p)
		if err != nil {
			return nil, prob("base64", names[i], "%s: the %s (part %d) is not valid base64url: %v", c.Label, names[i], i+1, err)
		}
		d.PaddedBase64 = d.PaddedBase64 || padded
		seg[i] = b
		// RFC 7515 §5.2 and RFC 8725 §3.7: the header and the claims are
		// UTF-8 (PyJWT refuses anything else; a lenient decoder would read
		// U+FFFD where a signed byte was).
		if i < 2 && !utf8.Valid(b) {
			return nil, prob("utf8", names[i], "%s: the %s is not valid UTF-8, which JWS and JWT require (RFC 7515 §5.2, RFC 8725 §3.7)", the(c.Label), names[i])
		}
	}
	h, _, err := ParseObject(seg[0])
	if err != nil {
		return nil, prob("header", "header", "%s: the header is not a JSON object: %v", the(c.Label), err)
	}
	if _, ok := h.Get("alg"); !ok {
		return nil, prob("header", "header", "%s: the header has no \"alg\" member", c.Label)
	}
	cl, dups, err := ParseObject(seg[1])
	if err != nil {
		if strings.EqualFold(h.String("cty"), "JWT") {
			// RFC 7519 §5.2: a nested JWT. Its signature would have to be
			// checked too (RFC 8725 §3.3); authdoctor does not unwrap it.
			return nil, prob("payload", "payload", "%s is a nested JWT (cty JWT): its payload is another token, which authdoctor does not unwrap; pass the inner token to check it on its own", the(c.Label))
		}
		return nil, prob("payload", "payload", "%s: the payload is not a JSON object: %v", the(c.Label), err)
	}
	d.Header, d.Claims, d.DuplicateClaims = h, cl, dups
	d.SignatureLen = len(seg[2])
	return d, nil
}

func b64(s string) ([]byte, bool, error) {
	padded := strings.HasSuffix(s, "=")
	t := strings.TrimRight(s, "=")
	if strings.ContainsAny(t, "+/") {
		return nil, false, fmt.Errorf("it holds '+' or '/': standard base64, not base64url")
	}
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		if ce, ok := err.(base64.CorruptInputError); ok {
			return nil, false, fmt.Errorf("bad character or length at offset %d", int64(ce))
		}
		return nil, false, err
	}
	return b, padded, nil
}

func looksBase64(s string) bool {
	if len(s) < 16 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_+/=~", r)) {
			return false
		}
	}
	return true
}

// describeText says what the input is without echoing it: a user may
// have pasted a secret by mistake.
func describeText(s string) string {
	return fmt.Sprintf("the input is not a token: it has no dots and is not base64url text (%d characters)", len([]rune(s)))
}

// DecodeInput extracts and decodes every token in an input. It fails with
// the first InputProblem when no token can be decoded.
func DecodeInput(input []byte) ([]*Decoded, error) {
	cands, _, prob := Extract(input)
	if prob != nil {
		return nil, prob
	}
	var out []*Decoded
	var first *InputProblem
	for _, c := range cands {
		d, p := Decode(c)
		if p != nil {
			if first == nil {
				first = p
			}
			continue
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, first
	}
	return out, nil
}

// the names a token in a sentence: "the token", "the id_token".
func the(label string) string { return "the " + label }

// Report adds the problem as its TOK001 finding (every command words it
// the same way: what the input is, and which part is broken).
func (p *InputProblem) Report(rep *engine.Report) {
	opts := []engine.Opt{engine.At(engine.Subject{Name: p.Label}), engine.With("input", p.kindText())}
	if p.Part != "" {
		opts = append(opts, engine.With("part", p.Part))
	}
	rep.Add("TOK001", p.Message, opts...)
}

func (p *InputProblem) kindText() string {
	switch p.Kind {
	case "jwe":
		return "encrypted JWE (5 parts)"
	case "opaque":
		return "opaque token (1 part)"
	case "json":
		return "JSON"
	case "empty":
		return "empty"
	case "utf8":
		return "not UTF-8"
	case "crit":
		return "unsupported critical header extension"
	}
	return "malformed JWT (" + p.Kind + ")"
}
