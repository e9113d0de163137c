package issuer

import "github.com/authdoctor/authdoctor/pkg/engine"

// Checks are the ISS checks (issuers and tenants), as ../shared/checks.md catalogues them:
// IDs and names are a contract, never renamed or reused.
var Checks = []engine.Check{
	{ID: "ISS001", Name: "issuer-mismatch", Severity: engine.SeverityError, Stage: engine.StageToken, Step: engine.StepIDToken, Implemented: true,
		Title: "The token's iss differs from the expected issuer",
		Why:   "Validators compare iss exactly with the issuer from metadata or configuration: authlib `invalid_claim: Invalid claim \"iss\"`.",
		Fix:   "Use the metadata of the issuer that really issues the tokens (its public URL, exact trailing slash, the right realm or authorization server)."},
	{ID: "ISS002", Name: "azure-token-version-mix", Severity: engine.SeverityError, Stage: engine.StageToken, Step: engine.StepIDToken, Implemented: true,
		Title: "Azure v1/v2 mix: the token version does not match the metadata",
		Why:   "v1 tokens carry iss https://sts.windows.net/{tid}/, v2 tokens https://login.microsoftonline.com/{tid}/v2.0; validating one against the other's metadata fails on the issuer.",
		Fix:   "Set accessTokenAcceptedVersion (requestedAccessTokenVersion) to 2 in the app manifest and use the v2.0 discovery URL, or use the v1 metadata for v1 tokens."},
	{ID: "ISS003", Name: "azure-multi-tenant-endpoint", Severity: engine.SeverityWarning, Stage: engine.StageConfig, Step: engine.StepAuthorize, Implemented: true,
		Title: "The Azure multi-tenant endpoints (common, organizations) are in use",
		Why:   "Their metadata issuer is the template https://login.microsoftonline.com/{tenantid}/v2.0, so exact issuer validation fails unless the tenant is substituted from tid and checked against an allow-list.",
		Fix:   "Use the tenant-specific endpoints (login.microsoftonline.com/<tenant-id>/...) for a single-tenant app, or validate tid against an allow-list."},
	{ID: "ISS004", Name: "azure-tenant-mismatch", Severity: engine.SeverityError, Stage: engine.StageToken, Step: engine.StepIDToken, Implemented: true,
		Title: "The token's tenant is not the configured tenant",
		Why:   "The user signed in through another directory (a guest's home tenant, a personal Microsoft account in the consumers tenant 9188040d-6c67-4c5b-b112-36a304b66dad), so issuer validation fails.",
		Fix:   "Use the tenant-specific authority so users sign in to your tenant, and set the app's supported account types accordingly."},
	{ID: "ISS005", Name: "endpoints-disagree", Severity: engine.SeverityError, Stage: engine.StageConfig, Step: engine.StepAuthorize, Implemented: true,
		Title: "The configured endpoints disagree with each other",
		Why:   "authorize_url, access_token_url, api_base_url, jwks_uri and server_metadata_url naming different tenants, clouds, hosts or protocol versions give codes one endpoint cannot redeem or tokens the keys do not match.",
		Fix:   "Take every endpoint from one discovery document (server_metadata_url) of one tenant, cloud and version."},
	{ID: "ISS006", Name: "azure-tenant-noncanonical", Severity: engine.SeverityWarning, Stage: engine.StageToken, Step: engine.StepIDToken, Implemented: true,
		Title: "The tenant is a domain name or a non-canonical GUID",
		Why:   "Tokens carry the lower-case tenant GUID in iss and tid; a domain (contoso.onmicrosoft.com) or upper-case GUID in the expected issuer never compares equal.",
		Fix:   "Use the tenant's lower-case GUID (shown as Directory (tenant) ID in the portal) in issuer and endpoint URLs."},
	{ID: "ISS007", Name: "azure-cloud-mismatch", Severity: engine.SeverityError, Stage: engine.StageToken, Step: engine.StepIDToken, Implemented: true,
		Title: "National cloud mismatch",
		Why:   "US Government, China (21Vianet) and global Azure are separate clouds with separate hosts, issuers and keys; a token from one never validates against another.",
		Fix:   "Use the endpoints of the cloud the tenant lives in (login.microsoftonline.us, login.partner.microsoftonline.cn, login.microsoftonline.com) for every URL."},
}
