package oidc

import (
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/MicahParks/jwkset"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// Key is one key of a set, as analysed. It never holds private members'
// values in exported fields.
type Key struct {
	// Index is the position in "keys".
	Index  int      `json:"index"`
	KID    string   `json:"kid,omitempty"`
	KTY    string   `json:"kty,omitempty"`
	Alg    string   `json:"alg,omitempty"`
	Use    string   `json:"use,omitempty"`
	KeyOps []string `json:"key_ops,omitempty"`
	// Bits is the RSA modulus size, or the EC / OKP curve size.
	Bits  int    `json:"bits,omitempty"`
	Curve string `json:"crv,omitempty"`
	// Thumbprint is the RFC 7638 SHA-256 thumbprint, base64url.
	Thumbprint string `json:"thumbprint,omitempty"`
	X5T        string `json:"x5t,omitempty"`
	X5TS256    string `json:"x5t#S256,omitempty"`
	// Issuer is Entra's per-key "issuer" member (v2 key sets): a tenant
	// issuer, or the {tenantid} template on common/organizations.
	Issuer string `json:"issuer,omitempty"`
	// Cert summarises x5c[0].
	Cert *Cert `json:"certificate,omitempty"`
	// PrivateMembers names private members present (values never kept).
	PrivateMembers []string `json:"privateMembers,omitempty"`
	// Usable is true when the key can verify signatures; else
	// UnusableReason says why.
	Usable         bool   `json:"usableForSignatures"`
	UnusableReason string `json:"unusableReason,omitempty"`
	// JWKSetError is set when github.com/MicahParks/jwkset (used by
	// keyfunc) rejects the key.
	JWKSetError string `json:"jwksetError,omitempty"`

	pub crypto.PublicKey
	// raw is the key as served, private members removed.
	raw json.RawMessage
}

// PublicJSON is the key as served without its private members: what
// verification hands keyfunc (nil when the element was not an object).
func (k *Key) PublicJSON() json.RawMessage { return k.raw }

// PublicKey returns the Go public key (*rsa.PublicKey, *ecdsa.PublicKey,
// ed25519.PublicKey), or nil when the key could not be built.
func (k *Key) PublicKey() crypto.PublicKey { return k.pub }

// Label names the key for people: "kid X" or "keys[2]".
func (k *Key) Label() string {
	if k.KID != "" {
		return "kid " + k.KID
	}
	return fmt.Sprintf("keys[%d]", k.Index)
}

// JWKS is an analysed key set.
type JWKS struct {
	Keys []*Key `json:"keys"`
	// Usable counts the keys that can verify signatures.
	Usable int `json:"usableForSignatures"`
	// Single is true when the body was one JWK rather than a set.
	Single bool     `json:"single,omitempty"`
	Notes  []string `json:"notes,omitempty"`
}

// Key returns the first key with kid, or nil.
func (s *JWKS) Key(kid string) *Key {
	for _, k := range s.Keys {
		if k.KID == kid {
			return k
		}
	}
	return nil
}

// KeysByKID returns every key with kid (a set should have at most one).
func (s *JWKS) KeysByKID(kid string) []*Key {
	var out []*Key
	for _, k := range s.Keys {
		if k.KID == kid {
			out = append(out, k)
		}
	}
	return out
}

// KIDs lists the kids in set order (keys without kid omitted).
func (s *JWKS) KIDs() []string {
	var out []string
	for _, k := range s.Keys {
		if k.KID != "" {
			out = append(out, k.KID)
		}
	}
	return out
}

// SigningKeys returns the keys usable to verify signatures.
func (s *JWKS) SigningKeys() []*Key {
	var out []*Key
	for _, k := range s.Keys {
		if k.Usable {
			out = append(out, k)
		}
	}
	return out
}

// KeyfuncJSON is a JWK Set holding only the public, usable keys that
// jwkset accepts, so that keyfunc.NewJWKSetJSON (which fails for a whole
// set when one key is rejected) can be used on it.
func (s *JWKS) KeyfuncJSON() json.RawMessage {
	var keys []json.RawMessage
	for _, k := range s.Keys {
		if k.Usable && k.JWKSetError == "" && k.raw != nil {
			keys = append(keys, k.raw)
		}
	}
	if keys == nil {
		keys = []json.RawMessage{}
	}
	b, _ := json.Marshal(map[string]any{"keys": keys})
	return b
}

// ErrNotASet is returned by ParseJWKS when the body is not a JWK Set.
var ErrNotASet = errors.New("not a JWK Set")

// ParseJWKS reads a key set without reporting: every key is analysed as
// by AnalyzeJWKS. It fails only when the body is not a JWK Set (JWK002).
func ParseJWKS(body []byte, opts ...Option) (*JWKS, error) {
	set, problem, _ := buildSet(body, collect(opts))
	if problem != "" {
		return set, fmt.Errorf("%w: %s", ErrNotASet, problem)
	}
	return set, nil
}

// keyProblems are one key's findings before they are reported.
type keyProblems struct {
	malformed []string // JWK004
	private   []string // JWK005
	weak      string   // JWK006
	cert      []string // JWK007
	use       []string // JWK008
}

// AnalyzeJWKS judges a key set and adds JWK002–JWK008 findings to rep.
// It returns the analysed set (nil when the body is not one; a set with
// Single for one bare JWK).
func AnalyzeJWKS(rep *engine.Report, body []byte, opts ...Option) *JWKS {
	o := collect(opts)
	set, problem, probs := buildSet(body, o)
	subj := o.subject("")
	if problem != "" && set != nil && set.Single && o.single {
		set.Notes = append(set.Notes, "a single JWK, not a JWK Set: it was used as a set of one")
		problem = ""
	}
	if problem != "" {
		reportNotASet(rep, body, problem, o, subj)
	}
	if set == nil || o.shape {
		return set
	}
	for i, k := range set.Keys {
		reportKey(rep, o, k, probs[i])
	}
	if set.Usable == 0 && problem == "" {
		reportNoSigningKey(rep, set, subj)
	}
	return set
}

// reportNotASet is JWK002.
func reportNotASet(rep *engine.Report, body []byte, problem string, o *options, subj engine.Subject) {
	ev := []engine.Opt{engine.At(subj), engine.With("content type", orNone(o.contentType)), engine.With("size", fmt.Sprintf("%d bytes", len(body)))}
	sh := sniff(body, o.contentType)
	if sh.excerptOK && len(sh.trimmed) > 0 {
		ev = append(ev, engine.With("first bytes", netx.Excerpt(sh.trimmed, 160)))
	}
	fix := ""
	if strings.Contains(problem, "discovery document") {
		fix = "Use the document's jwks_uri as the key set URL (or give the discovery URL as server_metadata_url)."
	} else if strings.Contains(problem, "single JWK") {
		fix = `Serve the key inside a set: {"keys": [ <the key> ]}.`
	}
	if fix != "" {
		ev = append(ev, engine.FixHint(fix))
	}
	rep.Add("JWK002", "the body is "+problem, ev...)
}

func reportKey(rep *engine.Report, o *options, k *Key, p *keyProblems) {
	at := engine.At(o.subject(k.Label()))
	if len(p.private) > 0 {
		rep.Add("JWK005", fmt.Sprintf("%s publishes private key material: %s", k.Label(), strings.Join(p.private, ", ")), at,
			engine.With("private members", strings.Join(p.private, ", ")+" (values "+engine.Redacted+")"),
			engine.With("kty", orNone(k.KTY)))
	}
	if len(p.malformed) > 0 {
		rep.Add("JWK004", fmt.Sprintf("%s is malformed or ambiguous: %s", k.Label(), strings.Join(p.malformed, "; ")), append([]engine.Opt{at}, evidenceList("problem", p.malformed)...)...)
	}
	if p.weak != "" {
		rep.Add("JWK006", fmt.Sprintf("%s is %s", k.Label(), p.weak), at, engine.With("kty", k.KTY), engine.With("bits", fmt.Sprint(k.Bits)))
	}
	if len(p.cert) > 0 {
		ev := append([]engine.Opt{at}, evidenceList("problem", p.cert)...)
		if k.Cert != nil {
			ev = append(ev, engine.With("certificate", k.Cert.Subject), engine.With("valid", k.Cert.NotBefore.Format("2006-01-02")+" to "+k.Cert.NotAfter.Format("2006-01-02")))
		}
		rep.Add("JWK007", fmt.Sprintf("%s: %s", k.Label(), strings.Join(p.cert, "; ")), ev...)
	}
	if len(p.use) > 0 {
		rep.Add("JWK008", fmt.Sprintf("%s: %s", k.Label(), strings.Join(p.use, "; ")), append([]engine.Opt{at}, evidenceList("observation", p.use)...)...)
	}
}

func evidenceList(key string, items []string) []engine.Opt {
	var out []engine.Opt
	for _, it := range items {
		out = append(out, engine.With(key, it))
	}
	return out
}

func reportNoSigningKey(rep *engine.Report, set *JWKS, subj engine.Subject) {
	if len(set.Keys) == 0 {
		rep.Add("JWK003", `the set is empty ("keys": []): no token can be verified`, engine.At(subj), engine.With("keys", "0"))
		return
	}
	var why []string
	for _, k := range set.Keys {
		why = append(why, fmt.Sprintf("%s: %s", k.Label(), k.UnusableReason))
	}
	rep.Add("JWK003", fmt.Sprintf("none of the %d keys can verify a signature", len(set.Keys)),
		append([]engine.Opt{engine.At(subj), engine.With("keys", fmt.Sprint(len(set.Keys)))}, evidenceList("unusable", why)...)...)
}

// buildSet parses the body into a set; problem is non-empty when the body
// is not a JWK Set (set may still hold the single JWK it was).
func buildSet(body []byte, o *options) (*JWKS, string, []*keyProblems) {
	sh := sniff(body, o.contentType)
	if !sh.object {
		return nil, sh.what, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(sh.trimmed, &top); err != nil {
		return nil, "not a readable JSON object: " + err.Error(), nil
	}
	keysRaw, ok := top["keys"]
	if !ok {
		if _, isKey := top["kty"]; isKey {
			set := &JWKS{Single: true}
			k, p := parseKey(0, sh.trimmed, o)
			set.Keys = []*Key{k}
			if k.Usable {
				set.Usable = 1
			}
			return set, `a single JWK, not a JWK Set (no "keys" array around it)`, []*keyProblems{p}
		}
		if _, isDoc := top["jwks_uri"]; isDoc {
			var ju string
			_ = json.Unmarshal(top["jwks_uri"], &ju)
			return nil, fmt.Sprintf(`a discovery document, not a JWK Set (it has no "keys"; its jwks_uri is %q)`, ju), nil
		}
		return nil, fmt.Sprintf(`a JSON object without a "keys" array (members: %s)`, memberNames(top, 8)), nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(keysRaw, &elems); err != nil {
		return nil, fmt.Sprintf(`a JSON object whose "keys" is %s, not an array`, typeName(keysRaw)), nil
	}
	set := &JWKS{Keys: []*Key{}}
	var probs []*keyProblems
	for i, el := range elems {
		k, p := parseKey(i, el, o)
		set.Keys = append(set.Keys, k)
		probs = append(probs, p)
	}
	setLevel(set, probs)
	rejected := 0
	for _, k := range set.Keys {
		if k.Usable {
			set.Usable++
		}
		if k.JWKSetError != "" {
			rejected++
		}
	}
	if rejected > 0 {
		set.Notes = append(set.Notes, fmt.Sprintf("jwkset (the library keyfunc uses) rejects %d of the %d keys; keyfunc.NewJWKSetJSON on this set as served fails as a whole", rejected, len(set.Keys)))
	}
	return set, "", probs
}

// setLevel adds the problems that need the whole set: duplicate kids,
// missing kids, encryption keys mixed in without use.
func setLevel(set *JWKS, probs []*keyProblems) {
	seen := map[string]int{}
	hasEnc := false
	for _, k := range set.Keys {
		if k.Use == "enc" || encAlgs()[k.Alg] {
			hasEnc = true
		}
	}
	for i, k := range set.Keys {
		if k.KID == "" {
			if len(set.Keys) > 1 {
				probs[i].malformed = append(probs[i].malformed, fmt.Sprintf("no kid in a set of %d keys: verifiers cannot tell which key signed a token", len(set.Keys)))
			}
		} else if j, dup := seen[k.KID]; dup {
			probs[i].malformed = append(probs[i].malformed, fmt.Sprintf("kid %q is also used by keys[%d]: verifiers may pick the wrong key", k.KID, j))
		} else {
			seen[k.KID] = i
		}
		if hasEnc && k.Use == "" && len(k.KeyOps) == 0 && !encAlgs()[k.Alg] {
			probs[i].use = append(probs[i].use, "no use member while the set also holds encryption keys (OpenID Connect Discovery requires use on every key then)")
		}
	}
}

// b64url decodes a base64url member leniently and says what is not
// canonical about it.
func b64url(name, s string) ([]byte, string) {
	var problem string
	switch {
	case strings.ContainsAny(s, "+/"):
		problem = name + " uses the standard base64 alphabet (+ and /), not base64url"
	case strings.Contains(s, "="):
		problem = name + " has '=' padding, which base64url in JOSE omits"
	}
	t := strings.TrimRight(s, "=")
	t = strings.NewReplacer("+", "-", "/", "_").Replace(t)
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return nil, fmt.Sprintf("%s is not valid base64url (%v)", name, err)
	}
	return b, problem
}

func thumbprintOf(kty string, members map[string]string) string {
	var names []string
	switch kty {
	case "RSA":
		names = []string{"e", "kty", "n"}
	case "EC":
		names = []string{"crv", "kty", "x", "y"}
	case "OKP":
		names = []string{"crv", "kty", "x"}
	default:
		return ""
	}
	var sb strings.Builder
	sb.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			sb.WriteByte(',')
		}
		kb, _ := json.Marshal(n)
		vb, _ := json.Marshal(members[n])
		sb.Write(kb)
		sb.WriteByte(':')
		sb.Write(vb)
	}
	sb.WriteByte('}')
	sum := sha256.Sum256([]byte(sb.String()))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func sha1b64(b []byte) string {
	s := sha1.Sum(b)
	return base64.RawURLEncoding.EncodeToString(s[:])
}

func sha256b64(b []byte) string {
	s := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(s[:])
}

// jwksetCheck asks jwkset whether it accepts the key (never fetching
// x5u).
func jwksetCheck(raw json.RawMessage) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("jwkset panicked: %v", r)
		}
	}()
	_, err := jwkset.NewJWKFromRawJSON(raw, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{SkipX5UScheme: true})
	if err != nil {
		return err.Error()
	}
	return ""
}

func containsAny(xs []string, want ...string) bool {
	for _, w := range want {
		if slices.Contains(xs, w) {
			return true
		}
	}
	return false
}
