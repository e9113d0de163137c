package testkit

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// CertKind chooses the certificate a TLS server presents.
type CertKind int

const (
	// CertValid: a current certificate for the server's hosts, signed by
	// the CA written to CAFile.
	CertValid CertKind = iota
	// CertExpired: signed by the trusted CA, for the right hosts, expired.
	CertExpired
	// CertWrongHost: signed by the trusted CA, valid, for another name
	// (wrong-host.example.net).
	CertWrongHost
	// CertUntrusted: valid and for the right hosts, but signed by a CA
	// that is not in CAFile ("Untrusted Interception Root").
	CertUntrusted
)

// ServerOptions configure StartTLSWith / StartHTTPWith.
type ServerOptions struct {
	// Hosts the server impersonates: "login.microsoftonline.com" (port
	// 443 for TLS, 80 for HTTP) or "docker-rp-1:8080".
	Hosts []string
	Cert  CertKind
	// CA signs the certificate; nil makes a fresh one. Share one CA to
	// let several servers use the same --ca-file.
	CA *CA
}

// Server is a loopback server impersonating Hosts.
type Server struct {
	*httptest.Server
	// Addr is the loopback address it listens on (127.0.0.1:PORT).
	Addr string
	// CA signed the certificate; CAFile holds the trusted root (for
	// --ca-file). Both are empty for a plain-HTTP server.
	CA     *CA
	CAFile string
	// ConnectTo holds one --connect-to value per host.
	ConnectTo []string

	requests atomic.Int64
	mu       sync.Mutex
	byPath   map[string]int
}

// Args returns the flags that make the CLI reach this server: a
// --connect-to per host and --ca-file.
func (s *Server) Args() []string {
	var a []string
	for _, c := range s.ConnectTo {
		a = append(a, "--connect-to", c)
	}
	if s.CAFile != "" {
		a = append(a, "--ca-file", s.CAFile)
	}
	return a
}

// Requests counts the requests the server answered.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// RequestsFor counts the requests for one path.
func (s *Server) RequestsFor(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byPath[path]
}

func (s *Server) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		s.mu.Lock()
		s.byPath[r.URL.Path]++
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// StartTLS serves handler over TLS on loopback with a valid certificate
// for hosts, signed by a fresh test CA.
func StartTLS(t testing.TB, hosts []string, handler http.Handler) *Server {
	t.Helper()
	return StartTLSWith(t, ServerOptions{Hosts: hosts}, handler)
}

// StartTLSWith is StartTLS with a chosen certificate and CA.
func StartTLSWith(t testing.TB, o ServerOptions, handler http.Handler) *Server {
	t.Helper()
	if o.CA == nil {
		o.CA = NewCA(t, "authdoctor test root CA")
	}
	names := hostNames(o.Hosts)
	var cert tls.Certificate
	switch o.Cert {
	case CertValid:
		cert = o.CA.Leaf(t, names...)
	case CertExpired:
		cert = o.CA.ExpiredLeaf(t, names...)
	case CertWrongHost:
		cert = o.CA.Leaf(t, "wrong-host.example.net", "www.wrong-host.example.net")
	case CertUntrusted:
		cert = NewCA(t, "Untrusted Interception Root").Leaf(t, names...)
	}
	s := &Server{CA: o.CA, CAFile: o.CA.WritePEM(t), byPath: map[string]int{}}
	s.Server = httptest.NewUnstartedServer(s.count(handler))
	s.Server.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.Server.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes are the point of some tests
	s.Server.StartTLS()
	t.Cleanup(s.Server.Close)
	s.Addr = s.Server.Listener.Addr().String()
	s.ConnectTo = connectTo(o.Hosts, "443", s.Addr)
	return s
}

// StartHTTP serves handler over plain HTTP on loopback for hosts
// (default port 80), e.g. "docker-rp-1:8080" for a Keycloak dev setup.
func StartHTTP(t testing.TB, hosts []string, handler http.Handler) *Server {
	t.Helper()
	s := &Server{byPath: map[string]int{}}
	s.Server = httptest.NewServer(s.count(handler))
	t.Cleanup(s.Server.Close)
	s.Addr = s.Server.Listener.Addr().String()
	s.ConnectTo = connectTo(hosts, "80", s.Addr)
	return s
}

func hostNames(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		if host, _, err := net.SplitHostPort(h); err == nil {
			h = host
		}
		out = append(out, h)
	}
	return append(out, "127.0.0.1")
}

func connectTo(hosts []string, defPort, addr string) []string {
	var out []string
	for _, h := range hosts {
		host, port, err := net.SplitHostPort(h)
		if err != nil {
			host, port = h, defPort
		}
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		out = append(out, fmt.Sprintf("%s:%s:%s", host, port, addr))
	}
	return out
}

// Stalled is a TCP listener that accepts connections and never answers
// (not even a TLS handshake): a dead endpoint.
type Stalled struct {
	Addr      string
	ConnectTo []string
	accepted  atomic.Int64
}

// Accepted counts the connections accepted.
func (s *Stalled) Accepted() int { return int(s.accepted.Load()) }

// Args returns the --connect-to flags for the stalled hosts.
func (s *Stalled) Args() []string {
	var a []string
	for _, c := range s.ConnectTo {
		a = append(a, "--connect-to", c)
	}
	return a
}

// StartStalled listens on loopback for hosts (port 443 by default) and
// holds every connection open without a byte until the test ends.
func StartStalled(t testing.TB, hosts []string) *Stalled {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testkit: listen: %v", err)
	}
	s := &Stalled{Addr: ln.Addr().String()}
	s.ConnectTo = connectTo(hosts, "443", s.Addr)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.accepted.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return s
}

// RefusedAddr returns a loopback address where nothing listens (a port
// that was just free), for "connection refused".
func RefusedAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testkit: listen: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
