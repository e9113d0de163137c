// Package authlib models the OAuth 2 client of authlib ≥ 1.0 as
// Flask-AppBuilder registers it (`oauth.register(name, **remote_app)` on an
// `OAuth(app)` of authlib.integrations.flask_client), exactly as its source
// runs, so that authdoctor can say what a login really does with a given
// config, server metadata and tokens:
//
//   - how a remote_app dict becomes a client (Client, FromProvider): the
//     OAUTH_CLIENT_PARAMS become attributes, every other key becomes server
//     metadata, and the fetched server_metadata_url document is merged over
//     that metadata (Metadata.Load), so it overrides jwks_uri,
//     userinfo_endpoint and issuer given in remote_app while explicit
//     authorize_url / access_token_url win;
//   - the authorization request (Client.AuthorizationRequest): endpoint,
//     response_type, the scope it really carries, authorize_params,
//     prompt/login_hint/response_mode from the session metadata, PKCE,
//     and the nonce authlib adds when openid is in the scope;
//   - the token request (Client.TokenRequest) with authlib's client
//     authentication, and the token response as parse_response_token reads
//     it (ParseTokenResponse);
//   - parse_id_token (Client.ParseIDToken): the exact issuer string of the
//     metadata, the azp/aud rule, leeway 120 s, the metadata's algorithms,
//     at_hash, the nonce, and the keys from the metadata (jwks, then
//     jwks_uri with one forced re-fetch).
//
// Every failure is a *Raised: the exception class and str(exception) as
// authlib raises them, with the authlib file and function, so a person can
// grep their logs for it. FAB's log line and the page the user sees are
// added where FAB catches it (Failure).
//
// The modelled release is authlib 1.6.0 (lepture/authlib fe87a117). Where
// older 1.x releases word a message differently the Raised says so
// (1.0–1.5.1 quote claim names with double quotes).
//
// Signatures are verified with pkg/verify (golang-jwt and keyfunc); this
// package decides which key authlib would pick and whether the algorithm is
// allowed, never how to verify.
package authlib
