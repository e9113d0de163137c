// Package sources loads discovery documents and key sets from a URL
// (through netx) or an @FILE, turning failures into DSC001/DSC002 and
// JWK001/JWK002 findings, memoised per run.
package sources

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// Metadata is what verification needs from a discovery document.
type Metadata struct {
	Source             string       `json:"source"`
	Issuer             string       `json:"issuer"`
	JWKSURI            string       `json:"jwks_uri"`
	AccessTokenIssuer  string       `json:"access_token_issuer,omitempty"`
	IDTokenSigningAlgs []string     `json:"id_token_signing_alg_values_supported,omitempty"`
	AuthorizationURL   string       `json:"authorization_endpoint,omitempty"`
	TokenURL           string       `json:"token_endpoint,omitempty"`
	UserinfoURL        string       `json:"userinfo_endpoint,omitempty"`
	Raw                []byte       `json:"-"`
	Fetch              *netx.Result `json:"-"`
}

// Loader fetches or reads documents. Client may be nil only when every
// source is a file.
type Loader struct {
	Client *netx.Client
}

// IsFile reports whether a source names a file (@path).
func IsFile(src string) bool { return strings.HasPrefix(src, "@") }

// Load returns the bytes of a source. A file that cannot be read is a job
// error (exit 3); a URL that cannot be fetched is a finding.
func (l *Loader) Load(ctx context.Context, src string) ([]byte, *netx.Result, error) {
	if IsFile(src) {
		b, err := cmdutil.ReadFile(src[1:])
		return b, nil, err
	}
	if l.Client == nil {
		return nil, nil, fmt.Errorf("no network client")
	}
	r := l.Client.Fetch(ctx, src)
	return r.Body, r, nil
}

// fetchFailed adds the finding of a failed fetch with its stage.
func fetchFailed(rep *engine.Report, id string, what string, r *netx.Result) {
	e := r.Err
	opts := []engine.Opt{engine.At(engine.Subject{URL: r.URL}), engine.With("stage", string(e.Stage)), engine.With("reason", e.Reason)}
	if e.Hint != "" {
		opts = append(opts, engine.With("hint", e.Hint))
	}
	opts = append(opts, engine.With("timings", r.Timings.String()))
	rep.Add(id, fmt.Sprintf("the %s at %s cannot be fetched: %s: %s", what, r.URL, e.Stage.Describe(), e.Reason), opts...)
}

// Offline reports whether a result failed only because --offline.
func Offline(r *netx.Result) bool {
	return r != nil && r.Err != nil && r.Err.Stage == netx.StageOffline
}

// Discovery loads and minimally validates a discovery document. It
// returns nil when the document is unusable (the finding is recorded, or
// the check skipped when offline).
func (l *Loader) Discovery(ctx context.Context, rep *engine.Report, src string) (*Metadata, error) {
	b, r, err := l.Load(ctx, src)
	if err != nil {
		return nil, err
	}
	name := strings.TrimPrefix(src, "@")
	if r != nil && !r.OK() {
		if Offline(r) {
			rep.Skip("DSC001", "offline: "+src+" was not fetched")
			return nil, nil
		}
		fetchFailed(rep, "DSC001", "discovery document", r)
		return nil, nil
	}
	var m Metadata
	if err := json.Unmarshal(b, &m); err != nil {
		var probe map[string]any
		perr := json.Unmarshal(b, &probe)
		opts := []engine.Opt{engine.At(engine.Subject{URL: name}), BodyEvidence(b)}
		if r != nil {
			opts = append(opts, engine.With("content type", r.ContentType))
		}
		if perr != nil {
			rep.Add("DSC002", fmt.Sprintf("%s is not a JSON object: %v", name, perr), opts...)
			return nil, nil
		}
		rep.Add("DSC003", fmt.Sprintf("%s has a member of the wrong type: %v", name, err), opts...)
		return nil, nil
	}
	m.Source, m.Raw, m.Fetch = name, b, r
	if m.JWKSURI == "" {
		rep.Add("DSC003", fmt.Sprintf("%s has no jwks_uri: token signatures cannot be checked (authlib: Missing \"jwks_uri\" in metadata)", name),
			engine.At(engine.Subject{URL: name}), engine.With("member", "jwks_uri"))
	}
	return &m, nil
}

// JWKS loads a key set's bytes; nil when unusable (finding recorded).
func (l *Loader) JWKS(ctx context.Context, rep *engine.Report, src string) ([]byte, *netx.Result, error) {
	b, r, err := l.Load(ctx, src)
	if err != nil {
		return nil, nil, err
	}
	if r != nil && !r.OK() {
		if Offline(r) {
			rep.Skip("JWK001", "offline: "+src+" was not fetched")
			return nil, r, nil
		}
		fetchFailed(rep, "JWK001", "JWK Set", r)
		return nil, r, nil
	}
	return b, r, nil
}
