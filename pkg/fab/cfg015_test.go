package fab

import "testing"

// An Airflow 3 Azure tenant that is only unknown (its URLs come from
// environment variables that were not given) is CFG002's business, not a
// CFG015 "every login fails" error; a multi-tenant authority still is.
func TestCFG015NotRaisedForAnUnknownTenant(t *testing.T) {
	unknown := &Unresolved{Reason: "environment variable AZURE_TENANT_ID is not set"}
	remote := azureRemote("api_base_url", unknown, "access_token_url", unknown, "authorize_url", unknown)
	_, ids := lintIDs(t, with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", remote))), Airflow3, LintOptions{})
	if _, ok := ids["CFG015"]; ok {
		t.Fatalf("CFG015 for a tenant that is only unknown: %v", ids)
	}
	common := azureRemote("api_base_url", "https://login.microsoftonline.com/common/oauth2",
		"access_token_url", "https://login.microsoftonline.com/common/oauth2/v2.0/token",
		"authorize_url", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize")
	_, ids = lintIDs(t, with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", common))), Airflow3, LintOptions{})
	if _, ok := ids["CFG015"]; !ok {
		t.Fatalf("common authority on Airflow 3 must still be CFG015: %v", ids)
	}
}
