// Package catalog assembles the built-in check catalogue
// (../shared/checks.md) from the families' own declarations: each check is
// a value declared once, in the package that fires it (DSC and JWK in
// pkg/oidc, TOK in pkg/token, ISS in pkg/issuer, CFG and ROL in pkg/fab,
// URL in pkg/urlcheck). IDs and names are a contract: never rename or
// reuse them.
package catalog

import (
	"sync"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/urlcheck"
)

// families are the check families in catalogue order.
func families() [][]engine.Check {
	return [][]engine.Check{oidc.DiscoveryChecks, oidc.KeyChecks, token.Checks, issuer.Checks,
		fab.ConfigChecks, fab.RoleChecks, urlcheck.Checks}
}

// Default returns the built-in registry, built on first use so that
// commands that never need it pay nothing at start-up.
var Default = sync.OnceValue(func() *engine.Registry {
	reg := engine.NewRegistry()
	for _, fam := range families() {
		for _, c := range fam {
			reg.MustRegister(c)
		}
	}
	return reg
})
