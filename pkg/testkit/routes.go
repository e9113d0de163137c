package testkit

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
)

// Route is one canned response.
type Route struct {
	Status      int
	ContentType string
	Body        []byte
	Header      map[string]string
	// Gzip compresses the body when the client accepts it.
	Gzip bool
	// Redirect answers 302 to this location (absolute or path).
	Redirect string
}

// JSON is a 200 application/json response.
func JSON(body []byte) Route {
	return Route{Status: 200, ContentType: "application/json; charset=utf-8", Body: body}
}

// HTML is a response with text/html.
func HTML(status int, body string) Route {
	return Route{Status: status, ContentType: "text/html; charset=utf-8", Body: []byte(body)}
}

// Text is a text/plain response.
func Text(status int, body string) Route {
	return Route{Status: status, ContentType: "text/plain; charset=utf-8", Body: []byte(body)}
}

// RedirectTo is a 302 to loc.
func RedirectTo(loc string) Route { return Route{Status: http.StatusFound, Redirect: loc} }

// Routes serves canned responses. Keys are "/path" (any host) or
// "host/path" (that Host header only; host without port). Unknown paths
// get 404 with a short text body.
type Routes map[string]Route

func (rs Routes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	path := r.URL.Path
	if r.URL.RawQuery != "" {
		if rt, ok := rs[host+path+"?"+r.URL.RawQuery]; ok {
			rt.serve(w, r)
			return
		}
	}
	rt, ok := rs[strings.ToLower(host)+path]
	if !ok {
		rt, ok = rs[path]
	}
	if !ok {
		http.Error(w, fmt.Sprintf("testkit: no route for %s%s", host, path), http.StatusNotFound)
		return
	}
	rt.serve(w, r)
}

func (rt Route) serve(w http.ResponseWriter, r *http.Request) {
	for k, v := range rt.Header {
		w.Header().Set(k, v)
	}
	if rt.Redirect != "" {
		http.Redirect(w, r, rt.Redirect, rt.statusOr(http.StatusFound))
		return
	}
	if rt.ContentType != "" {
		w.Header().Set("Content-Type", rt.ContentType)
	}
	body := rt.Body
	if rt.Gzip && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(body)
		zw.Close()
		body = buf.Bytes()
		w.Header().Set("Content-Encoding", "gzip")
	}
	w.WriteHeader(rt.statusOr(http.StatusOK))
	w.Write(body)
}

func (rt Route) statusOr(def int) int {
	if rt.Status != 0 {
		return rt.Status
	}
	return def
}

// Hang returns a handler that holds each request without answering until
// the test ends (a server that accepted the request and stalls).
func Hang(t testing.TB) http.Handler {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-r.Context().Done():
		}
	})
}

// Trickle returns a handler that sends headers and the first bytes of body
// at once and then stalls until the test ends.
func Trickle(t testing.TB, first string) http.Handler {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		w.Write([]byte(first))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		select {
		case <-done:
		case <-r.Context().Done():
		}
	})
}
