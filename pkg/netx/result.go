package netx

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// Stage names where a fetch failed.
type Stage string

// The stages of a fetch, in order. StageRequest (the URL cannot be
// requested at all) and StageCanceled (the run was interrupted) complete
// the list.
const (
	StageOffline      Stage = "offline"
	StageRequest      Stage = "request"
	StageDNS          Stage = "dns"
	StageConnect      Stage = "connect"
	StageTLS          Stage = "tls"
	StageTimeout      Stage = "timeout"
	StageHTTP         Stage = "http"
	StageRedirect     Stage = "redirect"
	StageBodyTooLarge Stage = "body-too-large"
	StageCanceled     Stage = "canceled"
)

// Describe names a stage for people.
func (s Stage) Describe() string {
	switch s {
	case StageDNS:
		return "DNS"
	case StageConnect:
		return "TCP connect"
	case StageTLS:
		return "TLS"
	case StageTimeout:
		return "timeout"
	case StageHTTP:
		return "HTTP"
	case StageRedirect:
		return "redirect"
	case StageBodyTooLarge:
		return "body size"
	case StageOffline:
		return "offline"
	case StageRequest:
		return "request"
	case StageCanceled:
		return "interrupted"
	}
	return string(s)
}

// Error is a classified fetch failure.
type Error struct {
	Stage Stage `json:"stage"`
	// Reason says what went wrong, in words, with the observed values.
	Reason string `json:"reason"`
	// During names the operation under way when a timeout struck
	// (dns, connect, tls, response headers, body).
	During string `json:"during,omitempty"`
	// Timeout is true when the failure is a timeout at any stage.
	Timeout bool `json:"timeout,omitempty"`
	// Status and BodyExcerpt are set for StageHTTP.
	Status      int    `json:"status,omitempty"`
	BodyExcerpt string `json:"bodyExcerpt,omitempty"`
	// Cert describes the certificate at fault for StageTLS.
	Cert *CertInfo `json:"certificate,omitempty"`
	// Hint is a stage-specific remedy.
	Hint string `json:"hint,omitempty"`

	err error
}

func (e *Error) Error() string { return e.Stage.Describe() + ": " + e.Reason }

// Unwrap returns the underlying Go error, when there is one.
func (e *Error) Unwrap() error { return e.err }

// CertInfo summarises a certificate.
type CertInfo struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	DNSNames  []string  `json:"dnsNames,omitempty"`
	IPs       []string  `json:"ipAddresses,omitempty"`
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
}

func certInfo(c *x509.Certificate) *CertInfo {
	if c == nil {
		return nil
	}
	ci := &CertInfo{Subject: c.Subject.String(), Issuer: c.Issuer.String(),
		DNSNames: c.DNSNames, NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC()}
	for _, ip := range c.IPAddresses {
		ci.IPs = append(ci.IPs, ip.String())
	}
	return ci
}

// Names lists the names a certificate is valid for (SANs, or the CN when
// it has none).
func (c *CertInfo) Names() []string {
	n := append([]string{}, c.DNSNames...)
	n = append(n, c.IPs...)
	if len(n) == 0 && c.Subject != "" {
		n = append(n, c.Subject)
	}
	return n
}

// Timings of the stages of a fetch. When redirects were followed, each
// stage is the sum over all hops. A stage that did not happen (a reused
// connection, an IP literal needing no DNS) is zero.
type Timings struct {
	DNS       time.Duration
	Connect   time.Duration
	TLS       time.Duration
	FirstByte time.Duration // from the request written to the first response byte
	Total     time.Duration
}

func ms(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Millisecond)*10) / 10
}

// MarshalJSON writes milliseconds with one decimal.
func (t Timings) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		DNS       float64 `json:"dnsMs"`
		Connect   float64 `json:"connectMs"`
		TLS       float64 `json:"tlsMs"`
		FirstByte float64 `json:"firstByteMs"`
		Total     float64 `json:"totalMs"`
	}{ms(t.DNS), ms(t.Connect), ms(t.TLS), ms(t.FirstByte), ms(t.Total)})
}

// String renders the timings for people: "total 42ms (dns 1.2ms, connect
// 0.3ms, tls 8ms, first byte 30ms)".
func (t Timings) String() string {
	var parts []string
	add := func(name string, d time.Duration) {
		if d > 0 {
			parts = append(parts, name+" "+human(d))
		}
	}
	add("dns", t.DNS)
	add("connect", t.Connect)
	add("tls", t.TLS)
	add("first byte", t.FirstByte)
	s := "total " + human(t.Total)
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

func human(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%dms", d.Milliseconds())
	default:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
}

// Redirect is one redirect followed (or refused).
type Redirect struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Status int    `json:"status"`
	// HostChanged is true when the redirect leaves the host of From.
	HostChanged bool `json:"hostChanged,omitempty"`
	// Downgrade is true for https → http.
	Downgrade bool `json:"downgrade,omitempty"`
}

// TLSInfo describes the TLS connection of the final response.
type TLSInfo struct {
	Version    string    `json:"version"`
	ServerName string    `json:"serverName"`
	Subject    string    `json:"subject"`
	Issuer     string    `json:"issuer"`
	NotAfter   time.Time `json:"notAfter"`
	// Verified is false when --insecure turned verification off.
	Verified bool `json:"verified"`
}

// Result is the record of one fetch. It is shared between callers of a
// memoised fetch: treat it as read-only.
type Result struct {
	// URL is the URL asked for; FinalURL the one the body came from.
	URL      string `json:"url"`
	FinalURL string `json:"finalUrl,omitempty"`
	Status   int    `json:"status,omitempty"`
	// ContentType is the Content-Type header as sent.
	ContentType     string `json:"contentType,omitempty"`
	ContentEncoding string `json:"contentEncoding,omitempty"`
	// Size is the number of body bytes read (after gzip decoding).
	Size int64 `json:"size"`
	// Body holds at most Options.MaxBody bytes; never in JSON.
	Body   []byte      `json:"-"`
	Header http.Header `json:"-"`
	// ServerDate is the response's Date header (zero when absent or
	// unparsable); ReceivedAt the local clock when the response headers
	// arrived. Their difference is the measured clock skew.
	ServerDate   time.Time  `json:"serverDate,omitzero"`
	ReceivedAt   time.Time  `json:"receivedAt,omitzero"`
	CacheControl string     `json:"cacheControl,omitempty"`
	Timings      Timings    `json:"timings"`
	Redirects    []Redirect `json:"redirects,omitempty"`
	// ConnectedTo is the remote address of the final connection.
	ConnectedTo string `json:"connectedTo,omitempty"`
	// ReusedConn is true when the final request reused a kept-alive
	// connection (so DNS, connect and TLS took no time).
	ReusedConn bool `json:"reusedConnection,omitempty"`
	// Proxy is the proxy URL used, if any (without credentials).
	Proxy string   `json:"proxy,omitempty"`
	TLS   *TLSInfo `json:"tls,omitempty"`
	// Insecure is true when TLS verification was off for this fetch.
	Insecure bool `json:"insecure,omitempty"`
	// FromFile names the file that answered (--from-file).
	FromFile string `json:"fromFile,omitempty"`
	// Refetched marks a result of Client.Refetch.
	Refetched bool   `json:"refetched,omitempty"`
	Err       *Error `json:"error,omitempty"`
}

// OK reports whether the fetch succeeded (2xx, body read within the cap).
func (r *Result) OK() bool { return r != nil && r.Err == nil }

// ClockSkew is the server's Date minus the local clock when the response
// arrived (positive: the server is ahead). The Date header has a
// resolution of one second. ok is false when the server sent no Date.
func (r *Result) ClockSkew() (skew time.Duration, ok bool) {
	if r == nil || r.ServerDate.IsZero() || r.ReceivedAt.IsZero() {
		return 0, false
	}
	return r.ServerDate.Sub(r.ReceivedAt.Truncate(time.Second)), true
}

// Summary is one line for people: "200 application/json, 1.8 kB, total
// 42ms (...)" or the failure.
func (r *Result) Summary() string {
	if r.Err != nil {
		return fmt.Sprintf("failed at %s: %s", r.Err.Stage.Describe(), r.Err.Reason)
	}
	ct := r.ContentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("%d %s, %s, %s", r.Status, ct, Bytes(r.Size), r.Timings)
}

// Bytes renders a size for people.
func Bytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/1024)
	}
	return fmt.Sprintf("%d bytes", n)
}

// StatusText is the standard reason phrase of an HTTP status ("Not
// Found"), for packages that word failures as a client library would.
func StatusText(code int) string { return http.StatusText(code) }
