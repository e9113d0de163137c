package authlib

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/authdoctor/authdoctor/pkg/netx"
)

// Raised is an exception as authlib (or requests under it) raises it.
type Raised struct {
	// Class is the exception's class name ("InvalidClaimError").
	Class string `json:"class"`
	// Message is str(exception): what FAB writes after its log prefix.
	Message string `json:"message"`
	// Legacy is the message of authlib 1.0–1.5.1 when it differs (they
	// quote claim names with double quotes: Invalid claim "iss").
	Legacy string `json:"legacy,omitempty"`
	// Approximate is true when the wording is not authlib's own but a
	// transport failure that requests and urllib3 word in their own way
	// (the class is right; the text is authdoctor's).
	Approximate bool `json:"approximate,omitempty"`
	// Where is the authlib source that raises it (file: function).
	Where string `json:"where"`
}

// String is the exception as a traceback's last line prints it.
func (r *Raised) String() string { return r.Class + ": " + r.Message }

// The exceptions authlib's client raises. An AuthlibBaseError's str is
// "<error>: <description>" (authlib/common/errors.py), so a JoseError
// given only a positional text (DecodeError("Not enough segments")) takes
// it as its error code and ends in ": ".
func joseError(class, errCode, description, where string) *Raised {
	return &Raised{Class: class, Message: errCode + ": " + description, Where: where}
}

const (
	whereJWS     = "authlib/jose/rfc7515/jws.py: JsonWebSignature.deserialize_compact"
	whereJWT     = "authlib/jose/rfc7519/jwt.py: JsonWebToken.decode"
	whereClaims  = "authlib/jose/rfc7519/claims.py: JWTClaims.validate"
	whereIDToken = "authlib/oidc/core/claims.py: IDToken.validate"
	whereKeySet  = "authlib/jose/rfc7517/key_set.py: KeySet.find_by_kid"
	whereJWKSet  = "authlib/integrations/base_client/sync_openid.py: OpenIDMixin.fetch_jwk_set"
	whereMeta    = "authlib/integrations/base_client/sync_app.py: OAuth2Mixin.load_server_metadata"
	whereToken   = "authlib/oauth2/client.py: OAuth2Client.parse_response_token"
	whereState   = "authlib/integrations/base_client/sync_app.py: OAuth2Base._format_state_params"
	whereCallErr = "authlib/integrations/flask_client/apps.py: FlaskOAuth2App.authorize_access_token"
)

// invalidClaim is InvalidClaimError(claim) (authlib/jose/errors.py).
func invalidClaim(claim, where string) *Raised {
	return &Raised{Class: "InvalidClaimError", Message: "invalid_claim: Invalid claim '" + claim + "'",
		Legacy: `invalid_claim: Invalid claim "` + claim + `"`, Where: where}
}

// missingClaim is MissingClaimError(claim) (authlib/jose/errors.py).
func missingClaim(claim, where string) *Raised {
	return &Raised{Class: "MissingClaimError", Message: "missing_claim: Missing '" + claim + "' claim",
		Legacy: `missing_claim: Missing "` + claim + `" claim`, Where: where}
}

// valueError is a bare ValueError / RuntimeError / KeyError.
func pyError(class, msg, where string) *Raised {
	return &Raised{Class: class, Message: msg, Where: where}
}

// RequestsError is what requests raises for a failed request
// (raise_for_status, or the transport); where names the caller.
func RequestsError(r *netx.Result, where string) *Raised {
	e := r.Err
	if e == nil {
		return nil
	}
	if e.Stage == netx.StageHTTP && e.Status > 0 {
		kind := "Client Error"
		if e.Status >= 500 {
			kind = "Server Error"
		}
		url := r.FinalURL
		if url == "" {
			url = r.URL
		}
		// requests: "%s %s: %s for url: %s" % (status, kind, reason, url).
		return &Raised{Class: "HTTPError", Message: fmt.Sprintf("%d %s: %s for url: %s", e.Status, kind, netx.StatusText(e.Status), url), Where: where}
	}
	class := "ConnectionError"
	switch e.Stage {
	case netx.StageTLS:
		class = "SSLError"
	case netx.StageRedirect:
		class = "TooManyRedirects"
	case netx.StageOffline:
		class = "(not fetched: --offline)"
	}
	return &Raised{Class: class, Message: e.Reason, Approximate: true, Where: where}
}

// JSONDecodeError is requests' resp.json() failing on a body that is not
// JSON: requests.exceptions.JSONDecodeError with CPython's json message,
// exact for the usual case (an HTML page, an empty body: "Expecting value:
// line 1 column 1 (char 0)"). Other malformations are approximated.
func JSONDecodeError(body []byte, where string) *Raised {
	i := 0
	for i < len(body) && strings.IndexByte(" \t\n\r", body[i]) >= 0 {
		i++
	}
	if i == len(body) || strings.IndexByte(`{["-0123456789tfnNI`, body[i]) < 0 {
		line := 1 + bytes.Count(body[:i], []byte("\n"))
		col := i + 1
		if nl := bytes.LastIndexByte(body[:i], '\n'); nl >= 0 {
			col = i - nl
		}
		// CPython counts characters, not bytes.
		return &Raised{Class: "JSONDecodeError", Message: fmt.Sprintf("Expecting value: line %d column %d (char %d)", line, col, utf8.RuneCount(body[:i])), Where: where}
	}
	return &Raised{Class: "JSONDecodeError", Message: "the body is not valid JSON", Approximate: true, Where: where}
}
