package netx

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authdoctor/authdoctor/pkg/interrupt"
)

// ProxyFunc picks the proxy for a request, as http.Transport.Proxy.
type ProxyFunc func(*http.Request) (*url.URL, error)

// Client fetches URLs. It is safe for concurrent use; create one per run.
type Client struct {
	opts  Options
	rules []connectRule
	tr    *http.Transport

	mu        sync.Mutex
	memo      map[string]*call
	refetched map[string]*call

	network atomic.Int64
}

type call struct {
	done chan struct{}
	res  *Result
}

// New builds a Client. A bad flag value gives a *FlagError, an unusable
// --ca-file a *FileError.
func New(o Options) (*Client, error) {
	rules, err := o.validate()
	if err != nil {
		return nil, err
	}
	c := &Client{opts: o, rules: rules, memo: map[string]*call{}, refetched: map[string]*call{}}
	if o.Offline {
		return c, nil
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.CAFile != "" {
		pool, err := loadCAFile(o.CAFile)
		if err != nil {
			return nil, err
		}
		tlsConf.RootCAs = pool
	}
	if o.Insecure {
		tlsConf.InsecureSkipVerify = true
	}
	proxy := o.Proxy
	if proxy == nil {
		proxy = http.ProxyFromEnvironment
	}
	c.tr = &http.Transport{
		Proxy:                 proxy,
		DialContext:           c.dial,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   o.Timeout,
		ResponseHeaderTimeout: o.Timeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       30 * time.Second,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
	}
	return c, nil
}

func loadCAFile(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{Flag: "ca-file", Path: path, Err: fileProblem(err)}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(b) {
		return nil, &FileError{Flag: "ca-file", Path: path, Err: errors.New("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)")}
	}
	return pool, nil
}

// Options returns the resolved options (defaults filled in).
func (c *Client) Options() Options { return c.opts }

// NetworkFetches counts the fetches that reached the network (memo hits
// and offline results excluded); for tests and statistics.
func (c *Client) NetworkFetches() int { return int(c.network.Load()) }

// Close releases idle connections.
func (c *Client) Close() {
	if c.tr != nil {
		c.tr.CloseIdleConnections()
	}
}

// Fetch GETs rawURL, or returns the memoised result of an earlier or
// concurrent fetch of the same URL in this Client. It never returns nil
// and never panics; failures are in Result.Err.
func (c *Client) Fetch(ctx context.Context, rawURL string) *Result {
	c.mu.Lock()
	if cl, ok := c.memo[rawURL]; ok {
		c.mu.Unlock()
		return wait(ctx, cl, rawURL)
	}
	cl := &call{done: make(chan struct{})}
	c.memo[rawURL] = cl
	c.mu.Unlock()
	cl.res = c.fetch(ctx, rawURL)
	close(cl.done)
	return cl.res
}

// Refetch fetches rawURL again, bypassing the memo: for a key-rotation
// check (a kid missing from a key set that may have rotated since). It is
// rate-limited: it reaches the network at most once per URL per Client,
// and later calls return that second result. The memo then holds the
// newer result, so later Fetch calls see it too.
func (c *Client) Refetch(ctx context.Context, rawURL string) *Result {
	c.mu.Lock()
	if cl, ok := c.refetched[rawURL]; ok {
		c.mu.Unlock()
		return wait(ctx, cl, rawURL)
	}
	cl := &call{done: make(chan struct{})}
	c.refetched[rawURL] = cl
	c.mu.Unlock()
	res := c.fetch(ctx, rawURL)
	res.Refetched = true
	cl.res = res
	close(cl.done)
	c.mu.Lock()
	c.memo[rawURL] = cl
	c.mu.Unlock()
	return res
}

func wait(ctx context.Context, cl *call, rawURL string) *Result {
	select {
	case <-cl.done:
		return cl.res
	case <-ctx.Done():
		return &Result{URL: rawURL, Err: &Error{Stage: StageCanceled, Reason: "interrupted before the fetch finished", err: ctx.Err()}}
	}
}

// traceState follows one fetch through its stages.
type traceState struct {
	mu    sync.Mutex
	phase string

	dnsStart, connStart, tlsStart, wrote time.Time
	t                                    Timings
	connectedTo                          string
	reused                               bool
	connectAddr                          string
}

func (s *traceState) set(f func()) {
	s.mu.Lock()
	f()
	s.mu.Unlock()
}

func (s *traceState) current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.phase
}

func (s *traceState) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) {
			s.set(func() { s.phase, s.dnsStart = "dns", time.Now() })
		},
		DNSDone: func(httptrace.DNSDoneInfo) {
			s.set(func() {
				if !s.dnsStart.IsZero() {
					s.t.DNS += time.Since(s.dnsStart)
				}
			})
		},
		ConnectStart: func(_, addr string) {
			s.set(func() { s.phase, s.connStart, s.connectAddr = "connect", time.Now(), addr })
		},
		ConnectDone: func(_, _ string, _ error) {
			s.set(func() {
				if !s.connStart.IsZero() {
					s.t.Connect += time.Since(s.connStart)
				}
			})
		},
		TLSHandshakeStart: func() {
			s.set(func() { s.phase, s.tlsStart = "tls", time.Now() })
		},
		TLSHandshakeDone: func(tls.ConnectionState, error) {
			s.set(func() {
				if !s.tlsStart.IsZero() {
					s.t.TLS += time.Since(s.tlsStart)
				}
			})
		},
		GotConn: func(i httptrace.GotConnInfo) {
			s.set(func() {
				s.reused = i.Reused
				if i.Conn != nil {
					s.connectedTo = i.Conn.RemoteAddr().String()
				}
			})
		},
		WroteRequest: func(httptrace.WroteRequestInfo) {
			s.set(func() { s.phase, s.wrote = "response headers", time.Now() })
		},
		GotFirstResponseByte: func() {
			s.set(func() {
				if !s.wrote.IsZero() {
					s.t.FirstByte += time.Since(s.wrote)
				}
			})
		},
	}
}

// dial applies --connect-to and bounds DNS plus connect by the timeout.
func (c *Client) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil {
		for _, r := range c.rules {
			if to := r.match(host, port); to != "" {
				addr = to
				break
			}
		}
	}
	d := net.Dialer{Timeout: c.opts.Timeout, KeepAlive: 30 * time.Second}
	return d.DialContext(ctx, network, addr)
}

// redirectError stops a redirect chain.
type redirectError struct{ reason, hint string }

func (e *redirectError) Error() string { return e.reason }

// Request is one HTTP request other than a plain GET of a document: the
// token endpoint's POST, a user-info API call with a bearer token, the
// probe of an authorization request. Header and Body may hold secrets:
// they are sent, never kept in the Result.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// NoRedirects returns a 3xx answer as it is, without following it
	// and without counting it as a failure (the probe of an authorization
	// request reads where the IdP sends the browser).
	NoRedirects bool
}

// Do sends one request with the same timeouts, --connect-to, proxies,
// TLS settings and failure classification as Fetch, but never memoised
// and never answered from --from-file: a token request or an API call
// with a user's token is made exactly once. It never returns nil.
func (c *Client) Do(ctx context.Context, req Request) *Result {
	if req.Method == "" {
		req.Method = http.MethodGet
	}
	return c.do(ctx, req)
}

// fetch does the network work of one Fetch.
func (c *Client) fetch(parent context.Context, rawURL string) *Result {
	if file, ok := c.fileFor(rawURL); ok {
		return c.fromFile(&Result{URL: rawURL, Insecure: c.opts.Insecure}, file, time.Now())
	}
	return c.do(parent, Request{Method: http.MethodGet, URL: rawURL})
}

// do does the network work of one request.
func (c *Client) do(parent context.Context, rq Request) *Result {
	start := time.Now()
	rawURL := rq.URL
	r := &Result{URL: rawURL, Insecure: c.opts.Insecure}
	if c.opts.Offline {
		r.Err = &Error{Stage: StageOffline, Reason: "--offline: the network was not used"}
		return r
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		r.Err = &Error{Stage: StageRequest, Reason: fmt.Sprintf("%q is not an http(s) URL", rawURL)}
		return r
	}
	c.network.Add(1)
	interrupt.Arm(parent) // from here on the run may wait: Ctrl-C ends it with 130

	overall := c.opts.Timeout * overallFactor
	ctx, cancelAll := context.WithTimeout(parent, overall)
	defer cancelAll()
	ctx, cancelBody := context.WithCancel(ctx)
	defer cancelBody()
	st := &traceState{phase: "connect"}
	ctx = httptrace.WithClientTrace(ctx, st.trace())

	var reqBody io.Reader
	if rq.Body != nil {
		reqBody = bytes.NewReader(rq.Body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.Method, rawURL, reqBody)
	if err != nil {
		r.Err = &Error{Stage: StageRequest, Reason: err.Error(), err: err}
		return r
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "application/json, application/jwk-set+json;q=0.9, */*;q=0.1")
	for k, vs := range rq.Header {
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	if p, _ := c.tr.Proxy(req); p != nil {
		pu := *p
		pu.User = nil
		r.Proxy = pu.String()
	}

	hc := &http.Client{Transport: c.tr, CheckRedirect: func(next *http.Request, via []*http.Request) error {
		return checkRedirect(r, rq.NoRedirects, next, via)
	}}

	resp, err := hc.Do(req)
	if err != nil {
		r.Err = c.classify(err, st, rawURL, r.Proxy)
		c.finish(r, st, start)
		return r
	}
	defer resp.Body.Close()
	r.ReceivedAt = time.Now()
	r.FinalURL = resp.Request.URL.String()
	r.Status = resp.StatusCode
	r.Header = resp.Header
	r.ContentType = resp.Header.Get("Content-Type")
	r.CacheControl = resp.Header.Get("Cache-Control")
	if resp.Uncompressed {
		r.ContentEncoding = "gzip"
	} else {
		r.ContentEncoding = resp.Header.Get("Content-Encoding")
	}
	if d := resp.Header.Get("Date"); d != "" {
		if t, err := http.ParseTime(d); err == nil {
			r.ServerDate = t.UTC()
		}
	}
	if cs := resp.TLS; cs != nil {
		ti := &TLSInfo{Version: tls.VersionName(cs.Version), ServerName: cs.ServerName, Verified: !c.opts.Insecure}
		if len(cs.PeerCertificates) > 0 {
			leaf := cs.PeerCertificates[0]
			ti.Subject, ti.Issuer, ti.NotAfter = leaf.Subject.String(), leaf.Issuer.String(), leaf.NotAfter.UTC()
		}
		r.TLS = ti
	}

	// Body: bounded by the per-operation timeout and by the size cap.
	st.set(func() { st.phase = "body" })
	var bodyTimedOut atomic.Bool
	timer := time.AfterFunc(c.opts.Timeout, func() { bodyTimedOut.Store(true); cancelBody() })
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	timer.Stop()
	r.Size = int64(len(body))
	switch {
	case bodyTimedOut.Load():
		// Whatever the read returned: once the timer cancelled the
		// request, a server that ends the body cleanly on the client's
		// close_notify can make the read end in a clean EOF, and the
		// partial body must not pass for the whole one.
		r.Err = &Error{Stage: StageTimeout, During: "body", Timeout: true,
			Reason: fmt.Sprintf("the body did not arrive within %s (%s received, then the server stalled)", c.opts.Timeout, Bytes(r.Size)),
			Hint:   "The server sent headers and then stalled: a proxy buffering or an overloaded IdP.", err: rerr}
	case rerr != nil:
		r.Err = c.classify(rerr, st, rawURL, r.Proxy)
		if r.Err.Stage == StageConnect || r.Err.Stage == StageRequest {
			r.Err.Stage = StageHTTP
			r.Err.Reason = fmt.Sprintf("the connection broke while reading the body after %s: %v", Bytes(r.Size), rerr)
		}
	case int64(len(body)) > c.opts.MaxBody:
		body = body[:c.opts.MaxBody]
		r.Size = c.opts.MaxBody
		r.Err = &Error{Stage: StageBodyTooLarge,
			Reason: fmt.Sprintf("the body is larger than %s; stopped reading there", Bytes(c.opts.MaxBody)),
			Hint:   "A discovery document or key set is a few kB: this URL serves something else (a download, a proxy page, an endless stream)."}
	}
	r.Body = body
	redirected := rq.NoRedirects && resp.StatusCode >= 300 && resp.StatusCode < 400
	if r.Err == nil && !redirected && (resp.StatusCode < 200 || resp.StatusCode > 299) {
		r.Err = &Error{Stage: StageHTTP, Status: resp.StatusCode,
			Reason:      fmt.Sprintf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode)),
			BodyExcerpt: Excerpt(body, 200)}
		if rq.Method == http.MethodGet && rq.Header == nil {
			// The hints speak of public documents, not of a token
			// request or an API call with credentials.
			r.Err.Hint = httpHint(resp.StatusCode, r.FinalURL)
		}
	}
	c.finish(r, st, start)
	return r
}

// checkRedirect records each redirect in r and refuses loops, downgrades
// to http and long chains; with noRedirects it hands back the 3xx itself.
func checkRedirect(r *Result, noRedirects bool, next *http.Request, via []*http.Request) error {
	if noRedirects {
		return http.ErrUseLastResponse
	}
	prev := via[len(via)-1]
	rd := Redirect{From: prev.URL.String(), To: next.URL.String(),
		HostChanged: !strings.EqualFold(prev.URL.Host, next.URL.Host),
		Downgrade:   prev.URL.Scheme == "https" && next.URL.Scheme == "http"}
	if next.Response != nil {
		rd.Status = next.Response.StatusCode
	}
	r.Redirects = append(r.Redirects, rd)
	for _, v := range via {
		if v.URL.String() == next.URL.String() {
			return &redirectError{
				reason: fmt.Sprintf("redirect loop: %s redirects back to %s after %d redirect(s)", prev.URL, next.URL, len(via)),
				hint:   "The server (or a proxy in front of it) redirects in a circle: often a sign-in page or a trailing-slash rule; request the final URL directly or fix the rewrite rule."}
		}
	}
	if rd.Downgrade {
		return &redirectError{
			reason: fmt.Sprintf("redirect from https to plain http (%s → %s): refused", prev.URL, next.URL),
			hint:   "A proxy or the IdP downgrades to http: fix its external URL / X-Forwarded-Proto so it redirects to https, or use the final https URL."}
	}
	if len(via) > MaxRedirects {
		return &redirectError{
			reason: fmt.Sprintf("more than %d redirects", MaxRedirects),
			hint:   "Request the final URL directly and fix the redirect chain."}
	}
	return nil
}

func (c *Client) finish(r *Result, st *traceState, start time.Time) {
	st.mu.Lock()
	r.Timings = st.t
	r.ConnectedTo = st.connectedTo
	r.ReusedConn = st.reused
	st.mu.Unlock()
	r.Timings.Total = time.Since(start)
}

func httpHint(status int, u string) string {
	switch {
	case status == 404:
		h := "The path does not exist on this server: check the tenant or realm name and the /.well-known path."
		if strings.Contains(u, "/auth/realms/") {
			h += " Keycloak 17 and later serve /realms/… without the /auth prefix."
		} else if strings.Contains(u, "/realms/") {
			h += " Keycloak before 17 (or --http-relative-path=/auth) serves /auth/realms/…."
		}
		return h
	case status == 401 || status == 403:
		return "The server refuses this client: a WAF, an egress proxy or an IP allow-list; these URLs are public and need no credentials."
	case status == 400 && strings.Contains(u, "login.microsoft"):
		return "Entra answers 400 for an unknown tenant (AADSTS90002) or a malformed URL: check the tenant GUID or domain."
	case status >= 500:
		return "The IdP (or a proxy in front of it) failed: the body excerpt may say why; retry, and check the IdP's health and logs."
	case status >= 300 && status < 400:
		return "A redirect without a usable Location header."
	}
	return "The server did not answer 200: request the URL by hand from the app's host to see the page."
}

// Excerpt renders the first n bytes of a body on one line, control
// characters escaped, for evidence.
func Excerpt(b []byte, n int) string {
	cut := false
	if len(b) > n {
		b, cut = b[:n], true
	}
	var sb strings.Builder
	for _, r := range strings.ToValidUTF8(string(b), "\uFFFD") {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			sb.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&sb, "\\x%02x", r)
		default:
			sb.WriteRune(r)
		}
	}
	s := strings.Join(strings.Fields(sb.String()), " ")
	if cut {
		s += "…"
	}
	return s
}

// fileFor finds a --from-file rule for the URL.
func (c *Client) fileFor(rawURL string) (string, bool) {
	for _, rule := range c.opts.FromFile {
		u, f, err := ParseFromFile(rule)
		if err == nil && u == rawURL {
			return f, true
		}
	}
	return "", false
}

// fromFile answers a fetch from a saved file, as a 200 response.
func (c *Client) fromFile(r *Result, file string, start time.Time) *Result {
	f, err := os.Open(file)
	if err != nil {
		r.Err = &Error{Stage: StageRequest, Reason: fmt.Sprintf("--from-file %s: %v", file, err), err: err}
		return r
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, c.opts.MaxBody+1))
	if err != nil {
		r.Err = &Error{Stage: StageRequest, Reason: fmt.Sprintf("--from-file %s: %v", file, err), err: err}
		return r
	}
	if int64(len(body)) > c.opts.MaxBody {
		r.Err = &Error{Stage: StageBodyTooLarge, Reason: fmt.Sprintf("--from-file %s is larger than %s", file, Bytes(c.opts.MaxBody))}
		return r
	}
	r.FinalURL, r.Status, r.Body, r.Size = r.URL, 200, body, int64(len(body))
	r.ContentType = "application/json"
	r.FromFile = file
	r.Timings.Total = time.Since(start)
	return r
}
