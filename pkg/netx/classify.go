package netx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
)

// classify turns a Go error from the transport into a stage and a reason
// in words.
func (c *Client) classify(err error, st *traceState, rawURL, proxy string) *Error {
	phase := st.current()
	host := hostOf(rawURL)
	T := c.opts.Timeout

	var rd *redirectError
	if errors.As(err, &rd) {
		return &Error{Stage: StageRedirect, Reason: rd.reason, Hint: rd.hint, err: err}
	}

	// Timeouts first: which operation was running decides the stage.
	if isTimeout(err) {
		e := &Error{Timeout: true, During: phase, err: err}
		overall := errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "awaiting response headers")
		within := T.String()
		if overall && phase != "dns" && phase != "connect" {
			within = fmt.Sprintf("%s (the whole fetch is bounded by %d × --timeout)", T*overallFactor, overallFactor)
		}
		switch phase {
		case "dns":
			e.Stage, e.Reason = StageDNS, fmt.Sprintf("DNS lookup of %s timed out after %s", host, T)
			e.Hint = "The resolver does not answer: check /etc/resolv.conf (or CoreDNS in Kubernetes) on the app's host."
		case "connect":
			e.Stage = StageConnect
			e.Reason = fmt.Sprintf("TCP connect to %s timed out after %s (no answer at all)", st.addr(), T)
			e.Hint = "Packets are dropped on the way: a firewall, security group or NetworkPolicy blocks egress, or egress must go through a proxy (HTTPS_PROXY)."
			if proxy != "" {
				e.Reason = fmt.Sprintf("TCP connect to the proxy %s timed out after %s", proxy, T)
				e.Hint = "The proxy from HTTPS_PROXY/HTTP_PROXY does not answer: check its address, or set NO_PROXY for this host."
			}
		case "tls":
			e.Stage = StageTLS
			e.Reason = fmt.Sprintf("the TLS handshake with %s did not finish within %s (the server accepted the connection and then said nothing)", host, T)
			e.Hint = "Something accepts TCP on this port but does not speak TLS in time: a stalled server, a proxy, or a plain-TCP service on the port."
		case "body":
			e.Stage = StageTimeout
			e.Reason = fmt.Sprintf("the body did not arrive within %s", within)
			e.Hint = "The server sent headers and then stalled."
		default:
			e.Stage = StageTimeout
			e.During = "response headers"
			e.Reason = fmt.Sprintf("no response within %s after the request was sent (the server accepted the connection and never answered)", within)
			e.Hint = "The IdP or a proxy in between is hung or overloaded: retry, check its health; raise --timeout only to measure how slow it is."
		}
		return e
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Stage: StageCanceled, Reason: "interrupted", err: err}
	}

	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		e := &Error{Stage: StageDNS, err: err}
		switch {
		case dnsErr.IsNotFound:
			e.Reason = fmt.Sprintf("no such host: %s does not resolve", dnsErr.Name)
			e.Hint = "Check the host name for typos; from the app's host run `nslookup " + dnsErr.Name + "`; internal names need the internal resolver (split-horizon DNS, CoreDNS)."
		default:
			e.Reason = fmt.Sprintf("DNS lookup of %s failed: %s", dnsErr.Name, dnsErr.Err)
			e.Hint = "The resolver failed: check /etc/resolv.conf (or CoreDNS in Kubernetes) on the app's host."
		}
		if proxy != "" {
			e.Reason += " (this is the proxy's host name, from HTTPS_PROXY/HTTP_PROXY)"
		}
		return e
	}

	if e := classifyTLS(err, host); e != nil {
		return e
	}

	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		addr := st.addr()
		if opErr.Addr != nil {
			addr = opErr.Addr.String()
		}
		e := &Error{Stage: StageConnect, err: err}
		target := addr
		if proxy != "" {
			target = "the proxy " + proxy + " (" + addr + ")"
		}
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			e.Reason = fmt.Sprintf("connection refused by %s: nothing listens on that port", target)
			e.Hint = "Check the port in the URL, that the IdP (or proxy) is running, and that a load balancer forwards this port."
		case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
			e.Reason = fmt.Sprintf("no route to %s: %v", target, opErr.Err)
			e.Hint = "The network has no path there: routing, VPN, or egress rules on the app's host."
		default:
			e.Reason = fmt.Sprintf("TCP connect to %s failed: %v", target, opErr.Err)
			e.Hint = "Check network egress from the app's host (firewall, proxy: HTTPS_PROXY/NO_PROXY)."
		}
		return e
	}

	var ue *url.Error
	msg := err.Error()
	if errors.As(err, &ue) {
		msg = ue.Err.Error()
	}
	switch {
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return &Error{Stage: StageTLS, err: err,
			Reason: fmt.Sprintf("%s does not speak TLS on this port: it answered in plain HTTP", host),
			Hint:   "Use http:// for a plain-HTTP port, or the TLS port of the server (behind a TLS-terminating proxy, the IdP's own port is often plain HTTP)."}
	case strings.Contains(msg, "proxyconnect"):
		return &Error{Stage: StageConnect, Reason: "the proxy refused or failed the connection: " + msg,
			Hint: "Check HTTPS_PROXY/HTTP_PROXY (address, credentials) or set NO_PROXY for this host.", err: err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		stage := StageHTTP
		if phase == "tls" {
			stage = StageTLS
		}
		return &Error{Stage: stage, Reason: fmt.Sprintf("the server closed the connection during %s without answering (%s)", phaseWords(phase), msg),
			Hint: "A proxy or load balancer drops the request, or the port speaks another protocol.", err: err}
	case phase == "tls":
		return &Error{Stage: StageTLS, Reason: msg, err: err}
	case phase == "connect":
		return &Error{Stage: StageConnect, Reason: msg, err: err}
	case phase == "dns":
		return &Error{Stage: StageDNS, Reason: msg, err: err}
	}
	return &Error{Stage: StageHTTP, Reason: msg, err: err}
}

func (s *traceState) addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connectAddr
}

func phaseWords(p string) string {
	switch p {
	case "tls":
		return "the TLS handshake"
	case "body":
		return "the body"
	case "response headers":
		return "the response"
	}
	return p
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return strings.Contains(err.Error(), "TLS handshake timeout")
}

// classifyTLS explains certificate and handshake failures.
func classifyTLS(err error, host string) *Error {
	var cve *tls.CertificateVerificationError
	var chain []*x509.Certificate
	if errors.As(err, &cve) {
		chain = cve.UnverifiedCertificates
	}
	var leaf *x509.Certificate
	if len(chain) > 0 {
		leaf = chain[0]
	}

	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var he x509.HostnameError
	var rh tls.RecordHeaderError
	var alert tls.AlertError
	switch {
	case errors.As(err, &ua):
		top := leaf
		if len(chain) > 0 {
			top = chain[len(chain)-1]
		}
		if top == nil {
			top = ua.Cert
		}
		issuer := "an unknown issuer"
		if top != nil {
			issuer = fmt.Sprintf("%q", top.Issuer.String())
		}
		reason := fmt.Sprintf("certificate signed by unknown authority: the chain presented by %s ends at issuer %s, which is not trusted here", host, issuer)
		if top != nil && top.Subject.String() == top.Issuer.String() {
			reason += " (a self-signed certificate)"
		}
		return &Error{Stage: StageTLS, Reason: reason, Cert: certInfo(leafOr(leaf, ua.Cert)), err: err,
			Hint: "A TLS-inspecting proxy or a private CA signs this chain: add that CA to the app's trust store (for Python: REQUESTS_CA_BUNDLE / SSL_CERT_FILE) and give it to authdoctor with --ca-file."}
	case errors.As(err, &ci):
		c := leafOr(leaf, ci.Cert)
		switch ci.Reason {
		case x509.Expired:
			reason := "certificate expired"
			if exp := expiredIn(chain, c); exp != nil {
				when := exp.NotAfter.UTC()
				reason = fmt.Sprintf("certificate %q expired on %s (%s ago)", exp.Subject.String(), when.Format(time.RFC3339), ago(time.Since(when)))
				if exp.NotBefore.After(time.Now()) {
					reason = fmt.Sprintf("certificate %q is not valid before %s (a clock problem on this machine or the server?)", exp.Subject.String(), exp.NotBefore.UTC().Format(time.RFC3339))
				}
				c = exp
			}
			return &Error{Stage: StageTLS, Reason: reason, Cert: certInfo(c), err: err,
				Hint: "Renew the server's certificate (or the proxy's); if the date looks wrong, check this machine's clock."}
		default:
			return &Error{Stage: StageTLS, Reason: "certificate rejected: " + ci.Error(), Cert: certInfo(c), err: err}
		}
	case errors.As(err, &he):
		c := leafOr(leaf, he.Certificate)
		ci := certInfo(c)
		names := "no names"
		if ci != nil {
			names = strings.Join(ci.Names(), ", ")
		}
		return &Error{Stage: StageTLS, Cert: ci, err: err,
			Reason: fmt.Sprintf("certificate name mismatch: the certificate is for %s, not %s", names, he.Host),
			Hint:   "Use a host name the certificate covers (the IdP's public name), or reissue the certificate with this name; an internal load balancer often serves another site's certificate."}
	case errors.As(err, &rh):
		return &Error{Stage: StageTLS, err: err,
			Reason: fmt.Sprintf("%s does not speak TLS on this port (the answer looks like plain HTTP or another protocol)", host),
			Hint:   "Use http:// for a plain-HTTP port, or the TLS port of the server."}
	case errors.As(err, &alert):
		return &Error{Stage: StageTLS, err: err,
			Reason: fmt.Sprintf("the server refused the TLS handshake: %v", err),
			Hint:   "The server wants another TLS version, cipher or a client certificate (mTLS)."}
	case cve != nil:
		return &Error{Stage: StageTLS, Reason: "certificate verification failed: " + cve.Err.Error(), Cert: certInfo(leaf), err: err}
	}
	return nil
}

func leafOr(a, b *x509.Certificate) *x509.Certificate {
	if a != nil {
		return a
	}
	return b
}

func expiredIn(chain []*x509.Certificate, fallback *x509.Certificate) *x509.Certificate {
	now := time.Now()
	for _, c := range chain {
		if now.After(c.NotAfter) || now.Before(c.NotBefore) {
			return c
		}
	}
	return fallback
}

func ago(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	case d >= 2*time.Minute:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	return fmt.Sprintf("%d seconds", int(d.Seconds()))
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Hostname()
}
