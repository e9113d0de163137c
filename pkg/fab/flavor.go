package fab

import (
	"fmt"
	"strconv"
	"strings"
)

// Flavor names which code runs get_oauth_user_info and auth_user_oauth
// (spec §0).
type Flavor string

const (
	// Airflow22 is Airflow 2.2–2.8: Airflow's vendored copy of FAB's
	// security manager (airflow/www/fab_security/manager.py).
	Airflow22 Flavor = "airflow-2.2"
	// Airflow29 is Airflow 2.9–2.10: apache-airflow-providers-fab 1.x.
	Airflow29 Flavor = "airflow-2.9"
	// Airflow3 is Airflow 3 with the FAB auth manager
	// (apache-airflow-providers-fab 2.x/3.x, newest 2026 behaviour by
	// default, spec §8).
	Airflow3 Flavor = "airflow-3"
	// Superset is Apache Superset on FAB ≥ 4.3.10.
	Superset Flavor = "superset"
	// FAB is a plain Flask-AppBuilder app on FAB ≥ 4.3.10.
	FAB Flavor = "fab"
)

// Flavors lists the flavours in a stable order.
var Flavors = []Flavor{Airflow22, Airflow29, Airflow3, Superset, FAB}

// FlavorChoices is the help text of --flavor.
const FlavorChoices = "auto, airflow2 (= airflow-2.9), airflow-2.2 (2.2–2.8), airflow-2.9 (2.9–2.10), airflow3, superset, fab"

// ParseFlavor reads a --flavor value. "auto" and "" return "" (detect).
func ParseFlavor(s string) (Flavor, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.ReplaceAll(v, "_", "-")
	switch v {
	case "", "auto":
		return "", nil
	case "superset":
		return Superset, nil
	case "fab", "flask-appbuilder":
		return FAB, nil
	case "airflow2", "airflow-2", "airflow-2.x", "airflow2.x":
		return Airflow29, nil
	case "airflow3", "airflow-3", "airflow-3.x", "airflow3.x":
		return Airflow3, nil
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(v, "airflow"), "-")
	if rest != v {
		maj, min, ok := majorMinor(rest)
		switch {
		case ok && maj == 3:
			return Airflow3, nil
		case ok && maj == 2 && min >= 9:
			return Airflow29, nil
		case ok && maj == 2 && min >= 2:
			return Airflow22, nil
		case ok && maj == 2:
			return "", fmt.Errorf("--flavor %s: Airflow 2.0/2.1 run FAB 3.x's own security manager, which is not modelled; the closest is airflow-2.2", s)
		}
	}
	return "", fmt.Errorf("--flavor %q is not one of: %s", s, FlavorChoices)
}

func majorMinor(s string) (int, int, bool) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		if m, err := strconv.Atoi(parts[0]); err == nil {
			return m, 0, len(parts) == 1
		}
		return 0, 0, false
	}
	maj, err1 := strconv.Atoi(parts[0])
	min, err2 := strconv.Atoi(parts[1])
	return maj, min, err1 == nil && err2 == nil
}

// version is a dotted version, compared numerically.
type version []int

func parseVersion(s string) (version, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if s == "" {
		return nil, fmt.Errorf("empty version")
	}
	var v version
	for _, p := range strings.Split(s, ".") {
		// tolerate rc/dev suffixes: 3.8.1rc1 → 3.8.1
		digits := p
		if i := strings.IndexFunc(p, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
			digits = p[:i]
		}
		n, err := strconv.Atoi(digits)
		if err != nil {
			return nil, fmt.Errorf("%q is not a version such as 3.8.1", s)
		}
		v = append(v, n)
	}
	return v, nil
}

func (v version) atLeast(s string) bool {
	w, _ := parseVersion(s)
	for i := 0; i < len(w); i++ {
		a := 0
		if i < len(v) {
			a = v[i]
		}
		if a != w[i] {
			return a > w[i]
		}
	}
	return true
}

// UnknownMode is what a provider name without a built-in branch gets.
type UnknownMode int

const (
	// UnknownEmpty: get_oauth_user_info returns {} and auth_user_oauth
	// logs "OAUTH userinfo does not have username or email".
	UnknownEmpty UnknownMode = iota
	// UnknownRaise: OAuthProviderUnknown (FAB ≥ 4.3.8).
	UnknownRaise
	// UnknownGeneric: the generic OIDC fallback (providers-fab ≥ 2.2.0).
	UnknownGeneric
)

// AzureEmail is which claims the azure branch reads for email (spec §2.4).
type AzureEmail int

const (
	// AzureEmailUPN: me["upn"] (FAB < 4.3.8, Airflow's vendored copy).
	AzureEmailUPN AzureEmail = iota
	// AzureEmailUPNThenEmail: upn if present else email (FAB ≥ 4.3.10).
	AzureEmailUPNThenEmail
	// AzureEmailEmailThenUPN: email if present else upn (Airflow FAB
	// provider).
	AzureEmailEmailThenUPN
)

// Profile is a flavour resolved into the behaviours that differ.
type Profile struct {
	Flavor Flavor
	// Title names the flavour for people; Short in a few words
	// ("Airflow 2.9–2.10").
	Title, Short string
	// Reason says why this flavour is simulated (--flavor, or the evidence
	// detection found in the file).
	Reason string
	// ProviderVersion is the apache-airflow-providers-fab version
	// simulated for Airflow 3 ("" = newest); FABVersion the FAB version for
	// Superset and plain FAB.
	ProviderVersion string
	FABVersion      string

	Airflow  bool
	Superset bool

	// Branches are the provider names with a built-in user-info branch.
	Branches map[string]bool
	Unknown  UnknownMode

	AzureEmail AzureEmail
	// AzureUnverifiedOnly: the vendored base64 decode, no verification
	// possible at all.
	AzureUnverifiedOnly bool
	// AzureVerifyDefault is the verify_signature default (spec §2.4, §8.2).
	AzureVerifyDefault bool
	// AzureTenantPinning: tenant resolution + iss/aud pinning (≥ 3.8.1).
	AzureTenantPinning bool
	// AzureNationalClouds: national-cloud hosts accepted (#72010).
	AzureNationalClouds bool
	// AzureRoleKeysSetting: AUTH_OAUTH_ROLE_KEYS is read (#61585).
	AzureRoleKeysSetting bool
	// AzureExtraKeys: the vendored azure branch also returns name and id.
	AzureExtraKeys bool

	OktaStrict     bool // sub and email required (FAB ≥ 4.3.11, provider)
	OktaErrorCheck bool // {"error":…} → {} (FAB ≥ 4.5.0, provider)
	KeycloakGroups bool // role_keys from groups (FAB ≥ 4.5.0, provider)

	WhitelistAnchored bool // FAB ≥ 5.2.2 appends "$"
	// CallbackPrefix is the mount prefix of the FAB app ("/auth" on
	// Airflow 3).
	CallbackPrefix string
	// RegistrationRoleDefault is AUTH_USER_REGISTRATION_ROLE's default
	// ("" means None).
	RegistrationRoleDefault string
	// PublicRoleDefault is AUTH_ROLE_PUBLIC's default ("" means None).
	PublicRoleDefault string
	// BuiltinRoles exist in the database without configuration.
	BuiltinRoles []string
	// AuthOIDAvailable: AUTH_OID importable (FAB < 5).
	AuthOIDAvailable bool
	// GenericSince etc. are notes on unconfirmed version boundaries.
	Notes []string
}

var airflowRoles = []string{"Admin", "Op", "User", "Viewer", "Public"}

// ProfileOptions choose versions within a flavour.
type ProfileOptions struct {
	// FabProvider is the apache-airflow-providers-fab version for
	// airflow-3 ("" = newest).
	FabProvider string
	// FABVersion is the Flask-AppBuilder version for superset/fab
	// ("" = 5.2.2).
	FABVersion string
}

// NewProfile resolves a flavour. An unknown flavour is an error.
func NewProfile(f Flavor, o ProfileOptions) (Profile, error) {
	branches := func(names ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			m[n] = true
		}
		return m
	}
	switch f {
	case Airflow22:
		// spec §0, §2.3, §2.4: the vendored copy (read at
		// airflow/www/fab_security/manager.py) has github, twitter,
		// linkedin, google, azure (unverified decode, upn required),
		// openshift and okta (lenient); anything else returns {}.
		return Profile{Flavor: f, Title: "Airflow 2.2–2.8 (Airflow's vendored FAB security manager)", Short: "Airflow 2.2–2.8",
			Airflow:    true,
			Branches:   branches("github", "githublocal", "twitter", "linkedin", "google", "azure", "openshift", "okta"),
			Unknown:    UnknownEmpty,
			AzureEmail: AzureEmailUPN, AzureUnverifiedOnly: true, AzureExtraKeys: true,
			RegistrationRoleDefault: "Public", PublicRoleDefault: "Public",
			BuiltinRoles: airflowRoles, AuthOIDAvailable: true,
			Notes: []string{"whether Airflow re-synced its vendored copy after 2.2 (keycloak, auth0, authentik branches) is unconfirmed; 2.8 may already run the provider code"},
		}, nil
	case Airflow29:
		// spec §0, §1.2 (AF-prov column), §2.3, §2.4: providers-fab 1.x
		// pins FAB 4.4.1; unknown names return {}.
		return Profile{Flavor: f, Title: "Airflow 2.9–2.10 (apache-airflow-providers-fab 1.x)", Short: "Airflow 2.9–2.10",
			Airflow:    true,
			Branches:   branches("github", "githublocal", "twitter", "linkedin", "google", "azure", "openshift", "okta", "auth0", "keycloak", "keycloak_before_17", "authentik"),
			Unknown:    UnknownEmpty,
			AzureEmail: AzureEmailEmailThenUPN,
			OktaStrict: true, OktaErrorCheck: true, KeycloakGroups: true,
			BuiltinRoles: airflowRoles, AuthOIDAvailable: true,
		}, nil
	case Airflow3:
		p := Profile{Flavor: f, Airflow: true, Short: "Airflow 3",
			Branches:   branches("github", "githublocal", "twitter", "linkedin", "google", "azure", "openshift", "okta", "auth0", "keycloak", "keycloak_before_17", "authentik"),
			Unknown:    UnknownEmpty,
			AzureEmail: AzureEmailEmailThenUPN,
			OktaStrict: true, OktaErrorCheck: true, KeycloakGroups: true,
			CallbackPrefix: "/auth",
			BuiltinRoles:   airflowRoles,
		}
		v := version{999}
		p.ProviderVersion = o.FabProvider
		if o.FabProvider != "" {
			var err error
			if v, err = parseVersion(o.FabProvider); err != nil {
				return Profile{}, fmt.Errorf("--fab-provider: %v", err)
			}
			if !v.atLeast("2.0.0") {
				return Profile{}, fmt.Errorf("--fab-provider %s: Airflow 3 needs apache-airflow-providers-fab 2.0 or later (1.x is the airflow-2.9 flavour)", o.FabProvider)
			}
		}
		// spec §8.0 version map.
		if v.atLeast("2.2.0") {
			p.Unknown = UnknownGeneric
		}
		p.AzureRoleKeysSetting = v.atLeast("3.3.0")
		p.AzureVerifyDefault = v.atLeast("3.8.1")
		p.AzureTenantPinning = v.atLeast("3.8.1")
		p.AzureNationalClouds = v.atLeast("3.8.1")
		p.AuthOIDAvailable = false
		if o.FabProvider == "" {
			p.Title = "Airflow 3 (apache-airflow-providers-fab, newest: 2026 Azure behaviour)"
		} else {
			p.Title = "Airflow 3 (apache-airflow-providers-fab " + o.FabProvider + ")"
		}
		p.Notes = append(p.Notes, "provider version boundaries are partly unconfirmed: AUTH_OAUTH_ROLE_KEYS taken as ≥ 3.3.0, Azure verify-by-default and issuer pinning as ≥ 3.8.1")
		return p, nil
	case Superset, FAB:
		fv := "5.2.2"
		if o.FABVersion != "" {
			fv = o.FABVersion
		}
		v, err := parseVersion(fv)
		if err != nil {
			return Profile{}, fmt.Errorf("--fab-version: %v", err)
		}
		if !v.atLeast("4.3.10") {
			return Profile{}, fmt.Errorf("--fab-version %s: only Flask-AppBuilder 4.3.10 and later are modelled", fv)
		}
		names := []string{"github", "githublocal", "twitter", "linkedin", "google", "azure", "openshift", "okta", "keycloak", "keycloak_before_17"}
		if v.atLeast("4.3.11") {
			names = append(names, "auth0")
		}
		if v.atLeast("4.4.0") {
			names = append(names, "authentik")
		}
		p := Profile{Flavor: f, FABVersion: fv, Superset: f == Superset,
			Branches: branches(names...), Unknown: UnknownRaise,
			AzureEmail: AzureEmailUPNThenEmail,
			OktaStrict: v.atLeast("4.3.11"), OktaErrorCheck: v.atLeast("4.5.0"),
			KeycloakGroups: v.atLeast("4.5.0"), WhitelistAnchored: v.atLeast("5.2.2"),
			RegistrationRoleDefault: "Public", PublicRoleDefault: "Public",
			AuthOIDAvailable: !v.atLeast("5.0.0"),
		}
		if f == Superset {
			p.Title, p.Short = "Superset (Flask-AppBuilder "+fv+")", "Superset"
			p.BuiltinRoles = []string{"Admin", "Alpha", "Gamma", "granter", "sql_lab", "Public"}
		} else {
			p.Title, p.Short = "Flask-AppBuilder "+fv, "Flask-AppBuilder "+fv
			p.BuiltinRoles = []string{"Admin", "Public"}
		}
		return p, nil
	}
	return Profile{}, fmt.Errorf("unknown flavour %q (choose from %s)", f, FlavorChoices)
}

// MustProfile is NewProfile for known-good arguments (tests, defaults).
func MustProfile(f Flavor) Profile {
	p, err := NewProfile(f, ProfileOptions{})
	if err != nil {
		panic(err)
	}
	return p
}

// HasBranch reports whether name selects a built-in user-info branch
// (exact, case-sensitive: spec §1.3).
func (p Profile) HasBranch(name string) bool { return p.Branches[name] }
