package oidc

import (
	"context"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// ResolveTenant turns an Entra tenant domain into its lower-case GUID
// through the tenant's v2 discovery document (its issuer carries the
// GUID), in the cloud (global when ""). "" when it cannot be had
// (offline, unknown tenant).
func ResolveTenant(ctx context.Context, c *netx.Client, domain, cloud string) string {
	r := c.Fetch(ctx, "https://"+idp.LoginHost(cloud)+"/"+domain+"/v2.0"+WellKnownOIDC)
	if !r.OK() {
		return ""
	}
	d, err := ParseDiscovery(r.Body)
	if err != nil {
		return ""
	}
	if a := idp.Parse(d.Issuer); idp.IsGUID(a.Tenant) {
		return strings.ToLower(a.Tenant)
	}
	return ""
}
