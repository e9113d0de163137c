package verify

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/golang-jwt/jwt/v5"
)

// Fast answers one question for batch verification: is this token valid
// with nothing at all to report? It parses each distinct header and key
// once, verifies the signature with golang-jwt's signing method (RS256
// with the key's modulus kept, rs256.go), and checks the claims with a
// minimal parse. Whenever the answer is not a
// plain yes it says no, and the caller runs the full diagnosis (Verify),
// so the findings are always the full diagnosis's. A test keeps the two
// in agreement.
type Fast struct {
	ks        *KeySet
	o         Options
	algs      map[string]bool
	metaAlgs  map[string]bool
	expIss    string
	altIss    []string
	tenant    string
	headers   sync.Map     // header segment → *fastHeader
	nHeaders  atomic.Int64 // stored in headers since it was last cleared
	keyByKid  map[string]*fastKey
	singleKey *fastKey
}

type fastKey struct {
	pub    any
	issuer string
	err    bool
	once   sync.Once
	raw    map[string]any
	rs256  rs256Verifier
}

type fastHeader struct {
	method   jwt.SigningMethod
	key      *fastKey
	slow     bool
	alg, kid string
}

// NewFast prepares the fast path; expIssuer may be the Entra template,
// which always takes the slow path (ISS003 is a warning to report).
func NewFast(ks *KeySet, o Options, expIssuer string, altIssuers []string, tenant string) *Fast {
	f := &Fast{ks: ks, o: o, algs: map[string]bool{}, metaAlgs: map[string]bool{}, expIss: expIssuer, altIss: altIssuers, keyByKid: map[string]*fastKey{}}
	algs := o.Algs
	if len(algs) == 0 {
		algs = AsymmetricAlgs
	}
	for _, a := range algs {
		f.algs[a] = true
	}
	for _, a := range o.MetadataAlgs {
		f.metaAlgs[a] = true
	}
	if tenant != "" && idp.IsGUID(tenant) && tenant == strings.ToLower(tenant) {
		f.tenant = tenant
	} else if tenant != "" {
		f.tenant = "\x00slow" // domains and odd forms: always the full path
	}
	if ks != nil {
		for _, k := range ks.Keys {
			fk := &fastKey{raw: k}
			if kid, ok := k["kid"].(string); ok {
				if _, dup := f.keyByKid[kid]; dup {
					f.keyByKid[kid] = &fastKey{err: true}
					continue
				}
				f.keyByKid[kid] = fk
			}
		}
		if len(ks.Keys) == 1 {
			f.singleKey = &fastKey{raw: ks.Keys[0]}
		}
	}
	return f
}

func (k *fastKey) public() (any, bool) {
	k.once.Do(func() {
		if k.err || k.raw == nil {
			k.err = true
			return
		}
		kf, err := keyfuncFor(k.raw)
		if err != nil {
			k.err = true
			return
		}
		kid, _ := k.raw["kid"].(string)
		alg, _ := k.raw["alg"].(string)
		tok := &jwt.Token{Header: map[string]any{"kid": kid, "alg": alg}}
		if kid == "" {
			tok.Header = map[string]any{"kid": "", "alg": alg}
		}
		pub, err := kf.Keyfunc(tok)
		if err != nil {
			k.err = true
			return
		}
		k.pub = pub
		k.issuer, _ = k.raw["issuer"].(string)
	})
	return k.pub, !k.err
}

// maxHeaders bounds the parsed headers kept: an IdP's tokens share a few
// (one per key and type), but a log whose every token has its own header
// must not make memory grow without end (verify --scan on an endless
// input). Past the bound the cache starts again.
const maxHeaders = 4096

func (f *Fast) remember(seg string, h *fastHeader) {
	if f.nHeaders.Add(1) > maxHeaders {
		f.headers.Clear()
		f.nHeaders.Store(1)
	}
	f.headers.Store(seg, h)
}

func (f *Fast) header(seg string) *fastHeader {
	if h, ok := f.headers.Load(seg); ok {
		return h.(*fastHeader)
	}
	h := &fastHeader{slow: true}
	// A clone: seg may be a view of a log line's buffer (triage.Token.Raw).
	defer func() { f.remember(strings.Clone(seg), h) }()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return h
	}
	var hd map[string]any
	if !utf8.Valid(b) || json.Unmarshal(b, &hd) != nil {
		return h
	}
	alg, _ := hd["alg"].(string)
	kid, _ := hd["kid"].(string)
	if kid == "" {
		kid, _ = hd["x5t"].(string)
	}
	// A nonce (Graph) or a crit (an extension to reject) is for the full
	// diagnosis to report.
	_, nonce := hd["nonce"]
	_, crit := hd["crit"]
	if nonce || crit || !f.algs[alg] || strings.HasPrefix(alg, "HS") || len(hd) > 8 {
		return h
	}
	if len(f.metaAlgs) > 0 && !f.metaAlgs[alg] {
		return h
	}
	var fk *fastKey
	if kid != "" {
		fk = f.keyByKid[kid]
	} else {
		fk = f.singleKey
	}
	if fk == nil {
		return h
	}
	if ka, _ := fk.raw["alg"].(string); ka != "" && ka != alg {
		return h // a key bound to another algorithm (RFC 8725 §3.1): keyfunc refuses it
	}
	if _, ok := fk.public(); !ok {
		return h
	}
	h.method = jwt.GetSigningMethod(alg)
	if h.method == nil {
		return h
	}
	h.key, h.slow, h.alg, h.kid = fk, false, alg, kid
	return h
}

type fastClaims struct {
	Iss        string          `json:"iss"`
	Aud        json.RawMessage `json:"aud"`
	Exp        []byte          `json:"exp"` // a number's text (nil when absent)
	Nbf        []byte          `json:"nbf"`
	Iat        []byte          `json:"iat"`
	Tid        string          `json:"tid"`
	ClaimNames json.RawMessage `json:"_claim_names"`
	HasGroups  json.RawMessage `json:"hasgroups"`
	// Read for token.Facts only (a summary of a log); the fast path's
	// answer does not depend on them. Their JSON text: decoded only when
	// the facts are asked for.
	Sub, Oid, Azp, Appid, ClientID []byte
}

// TokenDigests returns, from one pass of SHA-256 over the token, the
// digest of its signing input (everything before the last '.', what an
// RS256 signature signs) and the digest of the whole text (what
// token.Fingerprint prints). Without a '.', both are of the whole text.
func TokenDigests(raw string) (signing, whole [sha256.Size]byte) {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.text = append(sc.text[:0], raw...) // no allocation per token
	b := sc.text
	j := bytes.LastIndexByte(b, '.')
	if j < 0 {
		whole = sha256.Sum256(b)
		return whole, whole
	}
	h := sha256.New()
	h.Write(b[:j])
	h.Sum(signing[:0])
	h.Write(b[j:])
	h.Sum(whole[:0])
	return signing, whole
}

// scratch holds a worker's buffers between tokens: a batch allocates
// per token only what it keeps.
type scratch struct{ text, sig, payload []byte }

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// OK reports whether the token is valid with nothing to report.
func (f *Fast) OK(raw string) bool { return f.OKDigest(raw, nil) }

// OKDigest is OK given the SHA-256 of the signing input (TokenDigests),
// which an RS256 signature check then does not compute again; nil
// computes it when needed.
func (f *Fast) OKDigest(raw string, signing *[sha256.Size]byte) bool {
	return f.Check(raw, signing, f.o.Now, nil)
}

// Check is OKDigest as of the instant now (a log line's time) instead of
// Options.Now. When it says yes and facts is not nil, it fills in the
// token's facts as token.FactsOf reads them from the decoded token.
func (f *Fast) Check(raw string, signing *[sha256.Size]byte, now time.Time, facts *token.Facts) bool {
	i := strings.IndexByte(raw, '.')
	j := strings.LastIndexByte(raw, '.')
	if i <= 0 || j <= i || j == len(raw)-1 || strings.Count(raw[i+1:j], ".") != 0 {
		return false
	}
	h := f.header(raw[:i])
	if h.slow {
		return false
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	var err error
	if sc.sig, err = base64.RawURLEncoding.AppendDecode(sc.sig[:0], []byte(raw[j+1:])); err != nil {
		return false
	}
	if pub, ok := h.key.pub.(*rsa.PublicKey); ok && h.method == jwt.SigningMethodRS256 {
		// What golang-jwt's RS256 does, without hashing the input twice
		// and with the key's modulus kept (rs256.go).
		if signing == nil {
			d, _ := TokenDigests(raw)
			signing = &d
		}
		if !h.key.rs256.verify(pub, signing, sc.sig) {
			return false
		}
	} else if h.method.Verify(raw[:j], sc.sig, h.key.pub) != nil {
		return false
	}
	if sc.payload, err = base64.RawURLEncoding.AppendDecode(sc.payload[:0], []byte(raw[i+1:j])); err != nil {
		return false
	}
	pb := sc.payload
	if !utf8.Valid(pb) {
		return false // TOK001 (RFC 8725 §3.7): the full diagnosis says so
	}
	c, ok := scanClaims(pb)
	if !ok {
		return false
	}
	if c.Exp == nil || c.ClaimNames != nil || (c.HasGroups != nil && string(c.HasGroups) != "false") {
		return false
	}
	lw := f.o.Leeway
	exp, ok := numeric(c.Exp)
	if !ok || !now.Before(exp.Add(lw)) {
		return false
	}
	var times [2]token.Instant
	for i, n := range [][]byte{c.Nbf, c.Iat} {
		if n == nil {
			continue
		}
		t, ok := numeric(n)
		if !ok || t.After(now.Add(lw)) {
			return false
		}
		times[i] = token.Instant{T: t.UTC(), Set: true}
	}
	auds, ok := audList(c.Aud)
	if !ok {
		return false
	}
	for _, a := range auds {
		if token.IsGraphAudience(a) {
			return false
		}
	}
	if len(f.o.Audiences) > 0 && !anyIn(auds, f.o.Audiences) {
		return false
	}
	if f.expIss != "" {
		if strings.Contains(f.expIss, "{tenantid}") {
			return false
		}
		match := c.Iss == f.expIss
		for _, a := range f.altIss {
			match = match || c.Iss == a
		}
		if !match && !(strings.TrimPrefix(c.Iss, "https://") == "accounts.google.com" && strings.TrimPrefix(f.expIss, "https://") == "accounts.google.com") {
			return false
		}
	}
	if f.tenant != "" && strings.ToLower(c.Tid) != f.tenant {
		return false
	}
	if ki := h.key.issuer; ki != "" && c.Tid != "" {
		ki = strings.ReplaceAll(ki, "{tenantid}", c.Tid)
		if ki != c.Iss && ki != issuer.AzureIssuer(idp.Parse(c.Iss).Cloud, "v2", c.Tid) {
			return false
		}
	}
	if facts != nil {
		*facts = token.Facts{Alg: h.alg, Kid: h.kid, Issuer: c.Iss, Tenant: c.Tid, Audience: auds,
			Client: token.FirstOf(factText(c.Azp), factText(c.Appid), factText(c.ClientID)), Subject: token.FirstOf(factText(c.Oid), factText(c.Sub)),
			Exp: token.Instant{T: exp.UTC(), Set: true}, Nbf: times[0], Iat: times[1]}
	}
	return true
}

// numeric reads a NumericDate as token.NumericDate does (a float, then
// seconds and fraction), without allocating for the usual integer.
func numeric(n []byte) (time.Time, bool) {
	if len(n) > 0 && len(n) <= 12 {
		var v int64
		plain := true
		for _, c := range n {
			if c < '0' || c > '9' {
				plain = false
				break
			}
			v = v*10 + int64(c-'0')
		}
		if plain {
			// Twelve digits at most: exact as a float64 too.
			return time.Unix(v, 0), v <= 253402300799
		}
	}
	v, err := strconv.ParseFloat(string(n), 64)
	if err != nil || v < 0 || v > 253402300799 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// factText decodes a fact member's JSON text as Object.String reads it: a
// string, else empty.
func factText(raw []byte) string {
	if raw == nil {
		return ""
	}
	s, _ := jsonString(raw)
	return s
}

func audList(raw json.RawMessage) ([]string, bool) {
	if raw == nil {
		return nil, true
	}
	if len(raw) > 0 && raw[0] == '"' {
		one, ok := jsonString(raw)
		return []string{one}, ok
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many, true
	}
	return nil, false
}

func anyIn(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}
