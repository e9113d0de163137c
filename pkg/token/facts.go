package token

import "time"

// Facts are what a summary of many tokens counts about one: who issued it,
// to whom, for which app, with which key, and its time claims. Subject
// identifies a person: it is for counting distinct users and must never be
// printed.
type Facts struct {
	Alg, Kid      string
	Issuer        string
	Tenant        string // tid
	Client        string // azp, else appid (Entra v1), else client_id
	Audience      []string
	Subject       string // oid (one per Entra user across apps), else sub
	Exp, Nbf, Iat Instant
}

// Instant is a time claim that is present and a valid NumericDate.
type Instant struct {
	T   time.Time
	Set bool
}

// FactsOf reads the facts of a decoded token.
func FactsOf(d *Decoded) Facts {
	c := d.Claims
	f := Facts{Alg: d.Alg(), Kid: d.Kid(), Issuer: c.String("iss"), Tenant: c.String("tid"), Audience: Audiences(c)}
	f.Client = FirstOf(c.String("azp"), c.String("appid"), c.String("client_id"))
	f.Subject = FirstOf(c.String("oid"), c.String("sub"))
	for _, m := range []struct {
		name string
		dst  *Instant
	}{{"exp", &f.Exp}, {"nbf", &f.Nbf}, {"iat", &f.Iat}} {
		if t, ok, err := NumericDate(c, m.name); ok && err == nil {
			*m.dst = Instant{T: t, Set: true}
		}
	}
	return f
}

// FirstOf returns the first non-empty string.
func FirstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
