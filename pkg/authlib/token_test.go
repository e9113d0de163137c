package authlib_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

type tokenCase struct {
	Name      string         `json:"name"`
	RemoteApp map[string]any `json:"remote_app"`
	StateData struct {
		RedirectURI  string `json:"redirect_uri"`
		CodeVerifier string `json:"code_verifier"`
	} `json:"state_data"`
	Answer struct {
		Status int    `json:"status"`
		Body   string `json:"body"`
	} `json:"answer"`
	Expected struct {
		Request struct {
			Body          string `json:"body"`
			Authorization string `json:"authorization"`
			ContentType   string `json:"content_type"`
			Accept        string `json:"accept"`
		} `json:"request"`
		Token  map[string]any `json:"token"`
		Raised string         `json:"raised"`
	} `json:"expected"`
}

// The code exchange as authlib 1.6.0 sends it and reads the answer
// (testdata/token.json, from the real authlib): the body in
// prepare_token_request's order (authlib/oauth2/rfc6749/parameters.py)
// with access_token_params and falsy values dropped; client_secret_basic
// by default with a secret and none without (OAuth2Client.__init__), the
// Basic credentials neither form-encoded nor UTF-8 (encode_client_secret_basic,
// authlib/oauth2/auth.py), client_secret_post from client_kwargs or from a
// top-level remote_app key (server metadata reaches the session);
// parse_response_token's OAuthError "<error>: <description>", HTTPError
// for a 5xx, JSONDecodeError for HTML, and a 4xx without "error" taken as
// the token.
func TestTokenRequestAndResponse_AsAuthlibDoes(t *testing.T) {
	for name, tc := range readCases[tokenCase](t, "testdata/token.json", 10) {
		t.Run(name, func(t *testing.T) {
			c := clientFrom(t, tc.Name, tc.RemoteApp, nil)
			req, raised := c.TokenRequest(authlib.Session{State: "ST", RedirectURI: tc.StateData.RedirectURI, CodeVerifier: tc.StateData.CodeVerifier}, "THECODE")
			if raised != nil {
				t.Fatal(raised)
			}
			want := tc.Expected.Request
			if string(req.Body()) != want.Body {
				t.Errorf("body\n got  %s\n want %s", req.Body(), want.Body)
			}
			h := http.Header(req.Header())
			if h.Get("Authorization") != want.Authorization || h.Get("Content-Type") != want.ContentType || h.Get("Accept") != want.Accept {
				t.Errorf("headers %v, authlib sent Authorization %q Content-Type %q Accept %q", h, want.Authorization, want.ContentType, want.Accept)
			}
			for _, p := range req.Form {
				if (p.Name == "client_secret" || p.Name == "code") && p.Value != "<redacted>" {
					t.Errorf("Form shows %s in clear", p.Name)
				}
			}
			res := &netx.Result{URL: req.Endpoint.URL, FinalURL: req.Endpoint.URL, Status: tc.Answer.Status, Body: []byte(tc.Answer.Body)}
			if tc.Answer.Status >= 400 {
				res.Err = &netx.Error{Stage: netx.StageHTTP, Status: tc.Answer.Status, Reason: http.StatusText(tc.Answer.Status)}
			}
			tok, raised := authlib.ParseTokenResponse(res)
			if tc.Expected.Raised != "" {
				if raised == nil || raised.String() != tc.Expected.Raised {
					t.Fatalf("raised %v, authlib raises %q", raised, tc.Expected.Raised)
				}
				return
			}
			if raised != nil {
				t.Fatalf("raised %s; authlib returns %v", raised, tc.Expected.Token)
			}
			if len(tok.Keys()) != len(tc.Expected.Token) {
				t.Errorf("token keys %v, authlib %v", tok.Keys(), tc.Expected.Token)
			}
		})
	}
}

// An auth method authlib does not know sends no credentials, and says so.
func TestTokenRequest_UnknownAuthMethod(t *testing.T) {
	c := clientFrom(t, "g", map[string]any{"client_id": "cid", "client_secret": "s", "access_token_url": "https://idp.example/token",
		"client_kwargs": map[string]any{"token_endpoint_auth_method": "private_key_jwt"}}, nil)
	req, _ := c.TokenRequest(authlib.Session{RedirectURI: "http://127.0.0.1:5/callback"}, "c")
	if req.Unsupported == "" || http.Header(req.Header()).Get("Authorization") != "" || strings.Contains(string(req.Body()), "client_secret") {
		t.Errorf("%+v %v %s", req, req.Header(), req.Body())
	}
}

// NewToken stands for a response the caller already holds (doctor's
// --token): parse_id_token's gate reads it as it reads a real response.
func TestNewToken(t *testing.T) {
	tok := authlib.NewToken(map[string]any{"id_token": "a.b.c", "access_token": "x"})
	if !tok.Has("id_token") || tok.Str("access_token") != "x" || strings.Join(tok.Keys(), ",") != "access_token,id_token" {
		t.Errorf("%v", tok.Keys())
	}
	c := clientFrom(t, "g", map[string]any{"client_id": "c", "authorize_url": "https://idp.example/auth"}, nil)
	if res := c.ParseIDToken(t.Context(), authlib.ParseInput{Token: tok}); res.Parsed || !strings.Contains(res.Skipped, "no nonce") {
		t.Errorf("without the request's nonce authlib does not parse: %+v", res)
	}
}
