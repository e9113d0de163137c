package sources

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// ResolveTenant turns an Entra tenant domain into its lower-case GUID
// through the tenant's v2 discovery document (its issuer carries the
// GUID), in the cloud of iss (global when iss says nothing). "" when it
// cannot be had (offline, unknown tenant).
func ResolveTenant(ctx context.Context, c *netx.Client, domain, iss string) string {
	cloud := idp.Parse(iss).Cloud
	if cloud == "" {
		cloud = "global"
	}
	r := c.Fetch(ctx, "https://"+idp.LoginHost(cloud)+"/"+domain+"/v2.0/.well-known/openid-configuration")
	if !r.OK() {
		return ""
	}
	var m struct {
		Issuer string `json:"issuer"`
	}
	if json.Unmarshal(r.Body, &m) != nil {
		return ""
	}
	if a := idp.Parse(m.Issuer); idp.IsGUID(a.Tenant) {
		return strings.ToLower(a.Tenant)
	}
	return ""
}
