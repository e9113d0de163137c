package netx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// CallbackListener receives the browser's redirect to a loopback redirect
// URI (authdoctor login): a small HTTP server on this machine that hands
// over the URL of each request to the redirect path and answers the
// browser with a short page. It never leaves loopback.
type CallbackListener struct {
	uri  string
	path string
	srvs []*http.Server
	urls chan *url.URL
	once sync.Once
	// page is the HTML the browser gets back.
	page string
}

// ErrNotLoopback means a redirect URI this machine cannot receive.
var ErrNotLoopback = errors.New("not a loopback http URL")

// ListenCallback listens for redirectURI, which must be http on
// 127.0.0.1, [::1] or localhost; port 0 (or none) picks a free port.
// localhost listens on 127.0.0.1 and, when it can, on ::1 at the same
// port, since a browser may resolve it either way. The URI returned by
// RedirectURI carries the port.
func ListenCallback(redirectURI string) (*CallbackListener, error) {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme != "http" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q: %w (want http://127.0.0.1:PORT/PATH or http://localhost:PORT/PATH, without query or fragment)", redirectURI, ErrNotLoopback)
	}
	host, port := u.Hostname(), u.Port()
	var binds []string
	switch host {
	case "127.0.0.1":
		binds = []string{"127.0.0.1"}
	case "::1":
		binds = []string{"::1"}
	case "localhost":
		binds = []string{"127.0.0.1", "::1"}
	default:
		return nil, fmt.Errorf("%q: %w (the IdP must send the browser back to this machine)", redirectURI, ErrNotLoopback)
	}
	if port == "" {
		port = "0"
	}
	l := &CallbackListener{path: u.Path, urls: make(chan *url.URL, 8),
		page: "<!doctype html><meta charset=utf-8><title>authdoctor</title><p>authdoctor received the sign-in. The result is in your terminal; you can close this tab.</p>"}
	if l.path == "" {
		l.path = "/"
	}
	for i, b := range binds {
		ln, err := net.Listen("tcp", net.JoinHostPort(b, port))
		if err != nil {
			if i > 0 {
				continue // localhost: IPv6 loopback is optional
			}
			return nil, fmt.Errorf("listening on %s: %w", net.JoinHostPort(b, port), err)
		}
		if port == "0" {
			port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		}
		srv := &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second}
		l.srvs = append(l.srvs, srv)
		go func() { _ = srv.Serve(ln) }()
	}
	hostPort := net.JoinHostPort(host, port)
	l.uri = (&url.URL{Scheme: "http", Host: hostPort, Path: u.Path, RawPath: u.RawPath}).String()
	if u.Path == "" {
		l.uri += "/"
	}
	return l, nil
}

// RedirectURI is the redirect URI with its real port.
func (l *CallbackListener) RedirectURI() string { return l.uri }

// URLs delivers the full URL of each request to the redirect path.
func (l *CallbackListener) URLs() <-chan *url.URL { return l.urls }

// ServeHTTP answers the redirect path with the page and hands the URL
// over; anything else (a favicon) is 404.
func (l *CallbackListener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != l.path || (r.Method != http.MethodGet && r.Method != http.MethodPost) {
		http.NotFound(w, r)
		return
	}
	full := *r.URL
	full.Scheme, full.Host = "http", r.Host
	if r.Method == http.MethodPost {
		// response_mode=form_post: the parameters come in the body.
		if err := r.ParseForm(); err == nil {
			full.RawQuery = r.PostForm.Encode()
		}
	}
	select {
	case l.urls <- &full:
	default: // a flood of reloads: the first ones are enough
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = fmt.Fprint(w, l.page)
}

// Close stops listening; safe to call more than once.
func (l *CallbackListener) Close() {
	l.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		for _, s := range l.srvs {
			_ = s.Shutdown(ctx)
		}
	})
}
