package usercode_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/usercode"
	"github.com/golang-jwt/jwt/v5"
)

const jwksConfig = `import jwt
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
OAUTH_PROVIDERS = [{
    "name": "authentik", "token_key": "access_token",
    "remote_app": {"client_id": "airflow", "server_metadata_url": "https://auth.example.org/application/o/airflow/.well-known/openid-configuration",
                   "client_kwargs": {"scope": "openid email profile"}},
}]
JWKS_URL = "https://auth.example.org/application/o/airflow/jwks/"


class KeysSM(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        client = jwt.PyJWKClient(JWKS_URL)
        key = client.get_signing_key_from_jwt(resp["id_token"])
        me = jwt.decode(resp["id_token"], key.key, algorithms=["RS256"], audience="airflow")
        return {"username": me["preferred_username"]}


SECURITY_MANAGER_CLASS = KeysSM
`

// With the provider's key set at hand (doctor fetched it), a
// jwt.PyJWKClient of that URL answers: the signature is checked; a kid
// the set lacks raises PyJWT's PyJWKClientError; without the set the
// fetch happens at login: unknown, naming the line.
func TestEvaluate_PyJWKClientWithKeysAtHand(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	set, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{"kty": "RSA", "use": "sig", "kid": "k1", "alg": "RS256",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	sign := func(kid string, k *rsa.PrivateKey) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"aud": "airflow", "preferred_username": "ada", "exp": testNow.Add(time.Hour).Unix()})
		tok.Header["kid"] = kid
		s, _ := tok.SignedString(k)
		return s
	}
	f := loadFiles(t, "airflow3", map[string]string{"webserver_config.py": jwksConfig})
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	run := func(tok string, sets map[string][]byte) *fab.UserInfoRun {
		resp, _ := json.Marshal(map[string]any{"access_token": tok, "id_token": tok})
		ev := f.Code.Evaluator(usercode.Login{Config: f.Config, Response: resp, Now: testNow, KeySets: sets})
		return ev.UserInfo(f.Profile, "authentik")
	}
	keys := map[string][]byte{"https://auth.example.org/application/o/airflow/jwks/": set}
	if r := run(sign("k1", key), keys); r.Kind != fab.CodeReturned {
		t.Errorf("the right key: %s %+v %+v", r.Kind, r.Exception, r.Unknown)
	}
	if r := run(sign("k1", other), keys); r.Kind != fab.CodeRaised || r.Exception.Text != "jwt.exceptions.InvalidSignatureError: Signature verification failed" || r.Exception.Line != 20 {
		t.Errorf("another key: %s %+v", r.Kind, r.Exception)
	}
	if r := run(sign("k9", key), keys); r.Kind != fab.CodeRaised || r.Exception.Text != `jwt.exceptions.PyJWKClientError: Unable to find a signing key that matches: "k9"` || r.Exception.Line != 19 {
		t.Errorf("an unknown kid: %s %+v", r.Kind, r.Exception)
	}
	if r := run(sign("k1", key), nil); r.Kind != fab.CodeUnknown || r.Unknown.Line != 19 || !strings.Contains(r.Unknown.Reason, "at login") {
		t.Errorf("no key set: %s %+v", r.Kind, r.Unknown)
	}
}
