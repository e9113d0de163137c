package oidc

import (
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// Option tunes an analysis.
type Option func(*options)

type options struct {
	url         string
	file        string
	contentType string
	typedIssuer string
	now         time.Time
	// shape: judge only whether the body is a JWK Set (JWK002), not its
	// keys; single: a single JWK is taken as a set of one.
	shape, single bool
}

// WithFile says the body was read from a file (findings point at it; the
// issuer cannot be compared with a URL).
func WithFile(path string) Option { return func(o *options) { o.file = path } }

// WithContentType passes the response's Content-Type (evidence for
// DSC002/JWK002).
func WithContentType(ct string) Option { return func(o *options) { o.contentType = ct } }

// WithTypedIssuer gives the issuer exactly as the user typed it, when the
// discovery URL was derived from it: DSC004 then compares with it exactly
// (a trailing slash included).
func WithTypedIssuer(iss string) Option { return func(o *options) { o.typedIssuer = iss } }

// WithNow sets the instant certificate validity is judged at (default:
// the clock).
func WithNow(t time.Time) Option { return func(o *options) { o.now = t } }

// WithURL names the URL a key set was fetched from (subject of findings).
func WithURL(u string) Option { return func(o *options) { o.url = u } }

// shapeOnly judges only whether the body is a JWK Set, for verification
// (InspectOptions.ForVerification); acceptSingle takes a single JWK as a
// set of one.
func shapeOnly(acceptSingle bool) Option {
	return func(o *options) { o.shape, o.single = true, acceptSingle }
}

func collect(opts []Option) *options {
	o := &options{}
	for _, f := range opts {
		f(o)
	}
	if o.now.IsZero() {
		o.now = time.Now()
	}
	return o
}

func (o *options) subject(name string) engine.Subject {
	return engine.Subject{URL: o.url, File: o.file, Name: name}
}
