// Package issuer compares a token's iss and tenant with what was expected
// (ISS checks) and the endpoints a config names with each other; the
// authorities themselves are classified by pkg/idp. No I/O.
package issuer

import (
	"github.com/authdoctor/authdoctor/pkg/idp"
)

// AzureIssuer builds the issuer an Entra token of a version carries for a
// tenant GUID in a cloud (the cloud's login host; other clouds' v1 issuers
// are not documented, so only the global one is built).
func AzureIssuer(cloud, version, tid string) string {
	if version == "v1" && (cloud == "global" || cloud == "") {
		return "https://sts.windows.net/" + tid + "/"
	}
	return "https://" + idp.LoginHost(cloud) + "/" + tid + "/v2.0"
}
