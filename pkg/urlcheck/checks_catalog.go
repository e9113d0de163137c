package urlcheck

import "github.com/authdoctor/authdoctor/pkg/engine"

// Checks are the URL checks (browser URLs), as ../shared/checks.md catalogues them:
// IDs and names are a contract, never renamed or reused.
var Checks = []engine.Check{
	{ID: "URL001", Name: "url-idp-error", Severity: engine.SeverityError, Stage: engine.StageURL, Step: engine.StepAuthorize, Implemented: true,
		Title: "The URL carries an error from the IdP",
		Why:   "The IdP redirected back with error / error_description (for Azure an AADSTS code) instead of a code.",
		Fix:   "See the error code's explanation (authdoctor explain AADSTSnnnnn)."},
	{ID: "URL002", Name: "url-implicit-flow", Severity: engine.SeverityWarning, Stage: engine.StageURL, Step: engine.StepAuthorize, Implemented: true,
		Title: "The implicit flow is requested",
		Why:   "response_type token puts tokens into the browser history and logs; it is deprecated.",
		Fix:   "Use the authorization code flow with PKCE (response_type=code)."},
	{ID: "URL003", Name: "url-redirect-uri", Severity: engine.SeverityWarning, Stage: engine.StageURL, Step: engine.StepCallback, Implemented: true,
		Title: "The redirect_uri is http or differs from the app's callback",
		Why:   "An http redirect leaks the code; one that differs from the registered callback gives AADSTS50011 or a redirect_uri mismatch.",
		Fix:   "Send and register exactly https://<host>/oauth-authorized/<name> (Airflow 3: /auth/oauth-authorized/<name>)."},
	{ID: "URL004", Name: "url-protection-missing", Severity: engine.SeverityWarning, Stage: engine.StageURL, Step: engine.StepAuthorize, Implemented: true,
		Title: "The request lacks state, nonce or PKCE",
		Why:   "Without state the callback is open to CSRF; id_token without nonce to replay; a public client without code_challenge to code interception.",
		Fix:   "Send state on every request, nonce with openid, and PKCE (code_challenge_method S256) for public clients."},
	{ID: "URL005", Name: "url-config-disagree", Severity: engine.SeverityWarning, Stage: engine.StageURL, Step: engine.StepAuthorize, Implemented: true,
		Title: "The request and the config disagree",
		Why:   "The browser went to another client_id, tenant, cloud or endpoint version than the config names, or without openid while the app expects an ID token.",
		Fix:   "Make the deployed config and the request agree: redeploy, or fix the provider entry."},
	{ID: "URL006", Name: "authorize-refused", Severity: engine.SeverityError, Stage: engine.StageLogin, Step: engine.StepAuthorize, Implemented: true,
		Title: "The IdP refuses the authorization request",
		Why:   "The IdP answers the authorization request with an error page, or sends the browser back with an error, before anyone can sign in: an unknown client_id, a redirect_uri that is not registered for the client (AADSTS50011, invalid_redirect_uri), a scope or response type the client may not ask for.",
		Fix:   "Register the exact redirect URI for the client (scheme, host, port, path), use the client_id of the app registration, and ask only for scopes the client is allowed."},
	{ID: "URL007", Name: "callback-state-mismatch", Severity: engine.SeverityError, Stage: engine.StageLogin, Step: engine.StepCallback, Implemented: true,
		Title: "The callback's state is not the authorization request's",
		Why:   "authlib finds its saved request data by the state that comes back; another state (an old browser tab, a second sign-in started meanwhile, a proxy that rewrites the query, sessions that do not survive between replicas) raises MismatchingStateError: \"mismatching_state: CSRF Warning! State not equal in request and response.\" and FAB shows \"The request to sign in was denied.\".",
		Fix:   "Complete the sign-in in the tab that started it; in the app, give every replica the same SECRET_KEY so the session holding the state survives the round trip."},
}
