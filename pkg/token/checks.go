package token

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// NumericDate reads a time claim: a JSON number of seconds since the
// epoch, possibly fractional (RFC 7519 §2). ok is false when absent; err
// when it is not a JSON number (a string, even "1700000000", a boolean,
// null: golang-jwt alone lets some through) or not a time of years 1 to
// 9999. A number at or before the epoch is a time like any other: an exp
// of 0 or -1 is a token that expired in 1970, not a malformed one.
func NumericDate(c *Object, name string) (t time.Time, ok bool, err error) {
	v, present := c.Get(name)
	if !present {
		return time.Time{}, false, nil
	}
	var f float64
	switch n := v.(type) {
	case json.Number:
		f, err = strconv.ParseFloat(string(n), 64)
		if err != nil {
			return time.Time{}, true, fmt.Errorf("%s is out of range: %s", name, n)
		}
	case string:
		return time.Time{}, true, fmt.Errorf("%s is a string (%q), not a NumericDate: RFC 7519 requires a JSON number", name, n)
	default:
		return time.Time{}, true, fmt.Errorf("%s is %s, not a NumericDate: RFC 7519 requires a JSON number", name, jsonKind(v))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < minNumericDate || f > maxNumericDate {
		return time.Time{}, true, fmt.Errorf("%s is out of range: %v", name, v)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true, nil
}

// The NumericDates of years 1 to 9999.
const (
	minNumericDate = -62135596800
	maxNumericDate = 253402300799
)

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "not a number"
}

// Human writes a duration the way people say it: "3h12m", "2d4h", "41s".
func Human(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return trimZero(fmt.Sprintf("%dm%ds", s/60, s%60))
	case s < 86400:
		return trimZero(fmt.Sprintf("%dh%dm", s/3600, (s%3600)/60))
	case s < 86400*365:
		return trimZero(fmt.Sprintf("%dd%dh", s/86400, (s%86400)/3600))
	}
	return trimZero(fmt.Sprintf("%dy%dd", s/(86400*365), (s%(86400*365))/86400))
}

func trimZero(s string) string {
	for _, z := range []string{"0s", "0m", "0h", "0d"} {
		if strings.HasSuffix(s, z) && len(s) > len(z) && (s[len(s)-len(z)-1] < '0' || s[len(s)-len(z)-1] > '9') {
			return s[:len(s)-len(z)]
		}
	}
	return s
}

// Relative says "in 41m" or "3h12m ago".
func Relative(t, now time.Time) string {
	if t.After(now) {
		return "in " + Human(t.Sub(now))
	}
	if now.Sub(t) < time.Second {
		return "now"
	}
	return Human(now.Sub(t)) + " ago"
}

// TimeContext is what time checks need: the instant, the leeway, and when
// an IdP was contacted, the skew of this machine's clock against the IdP's
// Date header (positive: this machine is ahead).
type TimeContext struct {
	Now      time.Time
	Leeway   time.Duration
	Skew     time.Duration
	HaveSkew bool
	SkewFrom string
	// SkipTimes leaves TOK006/TOK007 to the caller (verify lets
	// golang-jwt decide them).
	SkipTimes bool
}

// CheckDecoded makes the findings a decode alone can make for one token.
func CheckDecoded(rep *engine.Report, d *Decoded, id Identified, tc TimeContext) {
	subj := engine.Subject{Name: d.Label}
	alg := d.Alg()
	if strings.EqualFold(alg, "none") || d.SignatureLen == 0 {
		msg := fmt.Sprintf("%s is unsigned: alg %q", the(d.Label), alg)
		if d.SignatureLen == 0 && !strings.EqualFold(alg, "none") {
			msg = fmt.Sprintf("%s has an empty signature although its header says alg %q", the(d.Label), alg)
		}
		rep.Add("TOK002", msg, engine.At(subj), engine.With("alg", alg), engine.With("signature bytes", strconv.Itoa(d.SignatureLen)))
	}
	checkCrit(rep, d)
	if !tc.SkipTimes {
		CheckTimes(rep, d, tc)
	}
	if _, ok := d.Claims.Get("exp"); !ok {
		rep.Add("TOK010", fmt.Sprintf("%s has no exp claim: it never expires, and most apps refuse it", the(d.Label)),
			engine.At(engine.Subject{Name: d.Label + " claim exp"}), engine.With("claim", "exp"))
	}
	if id.Has("graph") {
		ev := []engine.Opt{engine.At(subj)}
		aud := strings.Join(Audiences(d.Claims), ", ")
		ev = append(ev, engine.With("aud", aud))
		_, nonce := d.Header.Get("nonce")
		ev = append(ev, engine.With("nonce in header", strconv.FormatBool(nonce)))
		rep.Add("TOK009", fmt.Sprintf("%s is a Microsoft Graph access token (aud %s): only Graph can verify it; its signature will not verify for your app", the(d.Label), aud), ev...)
	}
	if id.Has("overage") {
		src := ""
		if v, ok := d.Claims.Get("_claim_sources"); ok {
			if m, ok := v.(map[string]any); ok {
				for _, s := range m {
					if sm, ok := s.(map[string]any); ok {
						if e, ok := sm["endpoint"].(string); ok {
							src = e
						}
					}
				}
			}
		}
		opts := []engine.Opt{engine.At(engine.Subject{Name: d.Label + " claim groups"})}
		if src != "" {
			opts = append(opts, engine.With("_claim_sources endpoint", src))
		} else {
			opts = append(opts, engine.With("hasgroups", "true"))
		}
		rep.Add("ROL008", fmt.Sprintf("%s carries a groups overage marker instead of the groups: a mapping on groups sees none", the(d.Label)), opts...)
	}
}

// CheckTimes makes TOK006 and TOK007 (shared with verify).
func CheckTimes(rep *engine.Report, d *Decoded, tc TimeContext) {
	skewNote := func(opts []engine.Opt) []engine.Opt {
		if tc.HaveSkew {
			dir := "ahead of"
			if tc.Skew < 0 {
				dir = "behind"
			}
			opts = append(opts, engine.With("clock skew", fmt.Sprintf("this machine's clock is %s %s %s (its HTTP Date header)", Human(tc.Skew), dir, tc.SkewFrom)))
		}
		return opts
	}
	future := false
	for _, name := range []string{"exp", "nbf", "iat"} {
		t, ok, err := NumericDate(d.Claims, name)
		if ok && err != nil {
			rep.Add("TOK001", fmt.Sprintf("%s: claim %s", the(d.Label), err.Error()), engine.At(engine.Subject{Name: d.Label + " claim " + name}))
			continue
		}
		if !ok {
			continue
		}
		unix := strconv.FormatInt(t.Unix(), 10)
		switch name {
		case "exp":
			if !tc.Now.Before(t.Add(tc.Leeway)) {
				ago := tc.Now.Sub(t)
				opts := []engine.Opt{engine.At(engine.Subject{Name: d.Label + " claim exp"}),
					engine.With("exp", unix+" ("+t.Format(time.RFC3339)+")"),
					engine.With("now", tc.Now.Format(time.RFC3339)),
					engine.With("expired", fmt.Sprintf("%s ago (%d s)", Human(ago), int64(ago/time.Second))),
					engine.With("leeway", tc.Leeway.String())}
				rep.Add("TOK006", fmt.Sprintf("%s expired %s ago, at %s", the(d.Label), Human(ago), t.Format(time.RFC3339)), skewNote(opts)...)
			}
		case "nbf", "iat":
			if !future && t.After(tc.Now.Add(tc.Leeway)) {
				future = true // one finding for one cause: nbf, else iat
				ahead := t.Sub(tc.Now)
				opts := []engine.Opt{engine.At(engine.Subject{Name: d.Label + " claim " + name}),
					engine.With(name, unix+" ("+t.Format(time.RFC3339)+")"),
					engine.With("now", tc.Now.Format(time.RFC3339)),
					engine.With("in the future by", fmt.Sprintf("%s (%d s)", Human(ahead), int64(ahead/time.Second))),
					engine.With("leeway", tc.Leeway.String())}
				what := "is not valid until"
				if name == "iat" {
					what = "claims to be issued at"
				}
				rep.Add("TOK007", fmt.Sprintf("%s %s %s, %s from now: this machine's clock or the IdP's is wrong", the(d.Label), what, t.Format(time.RFC3339), Human(ahead)), skewNote(opts)...)
			}
		}
	}
}
