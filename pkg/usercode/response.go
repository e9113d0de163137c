package usercode

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
)

// NoteBareJWT says how the user's code gets a bare JWT.
const NoteBareJWT = `a bare JWT was given: the user's code gets the token response {"access_token": JWT, "id_token": JWT} with this token as both`

// TokenResponse is the token endpoint's response the user's code gets
// for an input: a token-response JSON as it is; for a bare JWT, {"access_token":
// JWT, "id_token": JWT} (note says so).
func TokenResponse(input []byte, jwt string) (resp []byte, note string) {
	t := bytes.TrimSpace(input)
	if len(t) > 0 && t[0] == '{' {
		var m map[string]any
		if json.Unmarshal(t, &m) == nil {
			return t, ""
		}
	}
	b, _ := json.Marshal(map[string]string{"access_token": jwt, "id_token": jwt})
	return b, NoteBareJWT
}

// ClaimsResponse is the token response for claims given as JSON
// (--claims): an unsigned JWT of those claims as both tokens (note says
// so).
func ClaimsResponse(claims []byte) (resp []byte, note string) {
	var compact bytes.Buffer
	if json.Compact(&compact, bytes.TrimSpace(claims)) != nil {
		compact.Reset()
		compact.Write(claims)
	}
	enc := base64.RawURLEncoding
	jwt := enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(compact.Bytes()) + "."
	b, _ := json.Marshal(map[string]string{"access_token": jwt, "id_token": jwt})
	return b, `--claims was given: the user's code gets the token response {"access_token": JWT, "id_token": JWT} with an unsigned JWT of these claims as both (a signature check in the code fails on it)`
}
