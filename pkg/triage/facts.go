package triage

import (
	"strings"
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/pkg/token"
)

// facts are what the summary needs of a token, kept in its cache entry:
// the values it groups and counts by, the hash of the subject (the
// subject itself is not kept: it is only counted) and iat.
type facts struct {
	alg, kid, issuer, tenant, client string
	audience                         string // the audiences, joined
	subject                          uint64
	iat                              time.Time
	hasIat                           bool
}

// interner keeps one copy of the strings tokens share (the issuer, the
// tenant, the kid...), so that a full cache holds each once, not once per
// token. It forgets everything when it has held maxInterned strings.
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

const maxInterned = 4096

// intern returns the kept copy of s; the caller holds in.mu.
func (in *interner) intern(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := in.m[s]; ok {
		return v
	}
	if in.m == nil || len(in.m) >= maxInterned {
		in.m = map[string]string{}
	}
	s = strings.Clone(s) // a Checker's facts may be views of larger strings
	in.m[s] = s
	return s
}

func (in *interner) facts(f *token.Facts) facts {
	aud := strings.Join(f.Audience, ", ")
	in.mu.Lock()
	out := facts{alg: in.intern(f.Alg), kid: in.intern(f.Kid), issuer: in.intern(f.Issuer), tenant: in.intern(f.Tenant),
		client: in.intern(f.Client), audience: in.intern(aud), iat: f.Iat.T, hasIat: f.Iat.Set}
	in.mu.Unlock()
	if f.Subject != "" {
		out.subject = hashString(f.Subject)
	}
	return out
}
