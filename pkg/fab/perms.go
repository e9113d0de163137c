package fab

import (
	"strings"
	"sync"
)

// Actions (airflow/security/permissions.py).
const (
	CanRead   = "can_read"
	CanCreate = "can_create"
	CanEdit   = "can_edit"
	CanDelete = "can_delete"
	Menu      = "menu_access"
)

// Perm is one (action, resource) pair.
type Perm struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
}

func pairs(action string, resources ...string) []Perm {
	out := make([]Perm, len(resources))
	for i, r := range resources {
		out[i] = Perm{action, r}
	}
	return out
}

func cat(parts ...[]Perm) []Perm {
	var out []Perm
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// roleTables are ROLE_CONFIGS' building blocks per flavour: V, U, O, A
// (spec §4). Public has none; Viewer = V, User = V+U, Op = V+U+O,
// Admin = V+U+O+A plus every other permission that exists. The tables
// are built on call, not at package init: every authdoctor command pays
// for package init, and only roles and doctor read these (#9).
type roleTables struct{ V, U, O, A []Perm }

// Airflow 2.9/2.10, providers-fab 1.x (spec §4.1).
func tables29() roleTables {
	return roleTables{
		V: cat(
			pairs(CanRead, "Audit Logs", "DAGs", "DAG Dependencies", "DAG Code", "DAG Runs", "Datasets", "Cluster Activity",
				"Pools", "ImportError", "DAG Warnings", "Jobs", "My Password", "My Profile", "Plugins", "SLA Misses",
				"Task Instances", "Task Logs", "XComs", "Website"),
			pairs(CanEdit, "My Password", "My Profile"),
			pairs(Menu, "Browse", "DAGs", "DAG Dependencies", "DAG Runs", "Datasets", "Cluster Activity", "Documentation",
				"Docs", "Jobs", "Audit Logs", "Plugins", "SLA Misses", "Task Instances"),
		),
		U: cat(
			pairs(CanEdit, "DAGs"), pairs(CanDelete, "DAGs"),
			pairs(CanCreate, "Task Instances"), pairs(CanEdit, "Task Instances"), pairs(CanDelete, "Task Instances"),
			pairs(CanCreate, "DAG Runs"), pairs(CanEdit, "DAG Runs"), pairs(CanDelete, "DAG Runs"),
		),
		O: cat(
			pairs(CanRead, "Configurations"),
			pairs(Menu, "Admin", "Configurations", "Connections", "Pools", "Variables", "Providers", "XComs"),
			pairs(CanCreate, "Connections"), pairs(CanRead, "Connections"), pairs(CanEdit, "Connections"), pairs(CanDelete, "Connections"),
			pairs(CanCreate, "Pools"), pairs(CanEdit, "Pools"), pairs(CanDelete, "Pools"),
			pairs(CanRead, "Providers"),
			pairs(CanCreate, "Variables"), pairs(CanRead, "Variables"), pairs(CanEdit, "Variables"), pairs(CanDelete, "Variables"),
			pairs(CanDelete, "XComs"),
		),
		A: cat(
			pairs(CanRead, "Task Reschedules"), pairs(Menu, "Task Reschedules"),
			pairs(CanRead, "Triggers"), pairs(Menu, "Triggers"),
			pairs(CanRead, "Passwords"), pairs(CanEdit, "Passwords"),
			pairs(CanRead, "Roles"), pairs(CanEdit, "Roles"),
		),
	}
}

// Airflow ~2.2 (spec §4.2): like 2.9 except the Viewer lacks Datasets,
// Cluster Activity, can_read Pools, DAG Warnings and menu_access DAGs, and
// the Op has can_read Pools.
func tables22() roleTables {
	drop := map[Perm]bool{}
	for _, r := range []string{"Datasets", "Cluster Activity", "DAG Warnings"} {
		drop[Perm{CanRead, r}] = true
		drop[Perm{Menu, r}] = true
	}
	drop[Perm{CanRead, "Pools"}] = true
	drop[Perm{Menu, "DAGs"}] = true
	var v []Perm
	t29 := tables29()
	for _, p := range t29.V {
		if !drop[p] {
			v = append(v, p)
		}
	}
	return roleTables{V: v, U: t29.U, O: cat(t29.O, pairs(CanRead, "Pools")), A: t29.A}
}

// Airflow 3 (spec §4.3: Audit Logs moves to Admin, Plugins to Op,
// Datasets becomes Assets), plus what the newest override.py read at
// apache/airflow providers/fab/.../security_manager/override.py adds:
// DAG Versions, Backfills and HITL Detail.
func tables3() roleTables {
	return roleTables{
		V: cat(
			pairs(CanRead, "DAGs", "DAG Dependencies", "DAG Code", "DAG Runs", "DAG Versions", "DAG Warnings", "Assets",
				"Asset Aliases", "Backfills", "Cluster Activity", "Pools", "ImportError", "Jobs", "My Password"),
			pairs(CanEdit, "My Password"),
			pairs(CanRead, "My Profile"), pairs(CanEdit, "My Profile"),
			pairs(CanRead, "SLA Misses", "Task Instances", "Task Logs", "XComs", "HITL Detail", "Website"),
			pairs(Menu, "Browse", "DAGs", "DAG Dependencies", "DAG Runs", "Assets", "Cluster Activity", "Documentation",
				"Docs", "Jobs", "SLA Misses", "Task Instances"),
		),
		U: cat(
			pairs(CanEdit, "DAGs"), pairs(CanDelete, "DAGs"),
			pairs(CanCreate, "Task Instances"), pairs(CanEdit, "Task Instances"), pairs(CanDelete, "Task Instances"),
			pairs(CanCreate, "DAG Runs"), pairs(CanEdit, "DAG Runs"), pairs(CanDelete, "DAG Runs"),
			pairs(CanEdit, "HITL Detail"), pairs(CanCreate, "Assets"),
		),
		O: cat(
			pairs(Menu, "Admin", "Configurations", "Connections", "Pools", "Plugins", "Variables", "Providers", "XComs", "HITL Detail"),
			pairs(CanRead, "Configurations"),
			pairs(CanCreate, "Connections"), pairs(CanRead, "Connections"), pairs(CanEdit, "Connections"), pairs(CanDelete, "Connections"),
			pairs(CanCreate, "Pools"), pairs(CanEdit, "Pools"), pairs(CanDelete, "Pools"),
			pairs(CanRead, "Plugins"), pairs(CanRead, "Providers"),
			pairs(CanCreate, "Variables"), pairs(CanRead, "Variables"), pairs(CanEdit, "Variables"), pairs(CanDelete, "Variables"),
			pairs(CanDelete, "XComs"),
			pairs(CanCreate, "Assets"), pairs(CanDelete, "Assets"),
			pairs(CanCreate, "Backfills"), pairs(CanEdit, "Backfills"), pairs(CanDelete, "Backfills"),
		),
		A: cat(
			pairs(CanRead, "Audit Logs"), pairs(Menu, "Audit Logs"),
			pairs(CanRead, "Task Reschedules"), pairs(Menu, "Task Reschedules"),
			pairs(CanRead, "Triggers"), pairs(Menu, "Triggers"),
			pairs(CanRead, "Passwords"), pairs(CanEdit, "Passwords"),
			pairs(CanRead, "Roles"), pairs(CanEdit, "Roles"),
		),
	}
}

func (p Profile) tables() (roleTables, bool) {
	switch p.Flavor {
	case Airflow20, Airflow22:
		// Airflow 2.0/2.1 use the 2.2-era tables (their own lists were
		// not read: a profile note says so).
		return tables22(), true
	case Airflow29:
		return tables29(), true
	case Airflow3:
		return tables3(), true
	}
	return roleTables{}, false
}

// BuiltinPerms returns the permissions of an Airflow built-in role; ok is
// false for a role that is not built in (or a non-Airflow flavour).
func (p Profile) BuiltinPerms(role string) ([]Perm, bool) {
	t, ok := p.tables()
	if !ok {
		return nil, false
	}
	var out []Perm
	switch role {
	case "Public":
		return []Perm{}, true
	case "Viewer":
		out = cat(t.V)
	case "User":
		out = cat(t.V, t.U)
	case "Op":
		out = cat(t.V, t.U, t.O)
	case "Admin":
		out = cat(t.V, t.U, t.O, t.A)
	default:
		return nil, false
	}
	return dedupe(out), true
}

func dedupe(ps []Perm) []Perm {
	seen := map[Perm]bool{}
	var out []Perm
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// RolePermissions is what one role may do, for people and for JSON.
type RolePermissions struct {
	Role string `json:"role"`
	// Known is false for roles whose permissions are not modelled (custom
	// roles, Superset roles).
	Known bool `json:"known"`
	// Summary is one line for people:
	// "read DAGs, DAG runs, task logs …; cannot trigger DAG runs, …".
	Summary string   `json:"summary"`
	Can     []string `json:"can,omitempty"`
	Cannot  []string `json:"cannot,omitempty"`
	Pairs   []Perm   `json:"pairs,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// friendly names of resources, in reading order.
var readOrder = []struct{ res, label string }{
	{"DAGs", "DAGs"}, {"DAG Code", "DAG code"}, {"DAG Runs", "DAG runs"}, {"Task Instances", "task instances"},
	{"Task Logs", "task logs"}, {"XComs", "XComs"}, {"DAG Dependencies", "DAG dependencies"},
	{"DAG Versions", "DAG versions"}, {"DAG Warnings", "DAG warnings"}, {"ImportError", "import errors"},
	{"Datasets", "datasets"}, {"Assets", "assets"}, {"Asset Aliases", "asset aliases"},
	{"Backfills", "backfills"}, {"Cluster Activity", "cluster activity"}, {"Jobs", "jobs"},
	{"Pools", "pools"}, {"SLA Misses", "SLA misses"}, {"HITL Detail", "human-in-the-loop details"},
	{"Plugins", "plugins"}, {"Providers", "providers"}, {"Configurations", "the configuration"},
	{"Connections", "connections"}, {"Variables", "variables"}, {"Audit Logs", "the audit log"},
	{"Triggers", "triggers"}, {"Task Reschedules", "task reschedules"}, {"Roles", "roles"}, {"Passwords", "users' passwords"},
}

// capabilities are the headline things people ask about, in order.
var capabilities = []struct {
	label string
	need  []Perm
}{
	{"trigger DAG runs", []Perm{{CanCreate, "DAG Runs"}}},
	{"pause, unpause and edit DAGs", []Perm{{CanEdit, "DAGs"}}},
	{"delete DAGs", []Perm{{CanDelete, "DAGs"}}},
	{"clear and mark task instances", []Perm{{CanEdit, "Task Instances"}}},
	{"delete DAG runs and task instances", []Perm{{CanDelete, "DAG Runs"}, {CanDelete, "Task Instances"}}},
	{"create assets", []Perm{{CanCreate, "Assets"}}},
	{"create datasets", []Perm{{CanCreate, "Datasets"}}},
	{"run backfills", []Perm{{CanCreate, "Backfills"}}},
	{"manage connections", []Perm{{CanCreate, "Connections"}, {CanEdit, "Connections"}}},
	{"manage variables", []Perm{{CanCreate, "Variables"}, {CanEdit, "Variables"}}},
	{"manage pools", []Perm{{CanCreate, "Pools"}, {CanEdit, "Pools"}}},
	{"delete XComs", []Perm{{CanDelete, "XComs"}}},
	{"manage users' roles and passwords", []Perm{{CanEdit, "Roles"}, {CanEdit, "Passwords"}}},
}

// Describe summarises a permission set for people.
func Describe(p Profile, role string, perms []Perm) RolePermissions {
	rp := RolePermissions{Role: role, Known: true, Pairs: perms}
	has := map[Perm]bool{}
	resources := map[string]bool{}
	for _, x := range perms {
		has[x] = true
		resources[x.Resource] = true
	}
	if len(perms) == 0 {
		rp.Summary = "no permissions: every page answers 403 \"" + MsgNoRoles + "\""
		rp.Cannot = []string{"see anything"}
		return rp
	}
	var reads []string
	for _, r := range readOrder {
		if has[Perm{CanRead, r.res}] {
			reads = append(reads, r.label)
		}
	}
	if len(reads) > 0 {
		rp.Can = append(rp.Can, "read "+strings.Join(reads, ", "))
	}
	var cannot []string
	for _, c := range capabilities {
		// Skip capabilities about resources this Airflow version lacks.
		exists := false
		for _, n := range c.need {
			if allResources(p)[n.Resource] {
				exists = true
			}
		}
		if !exists {
			continue
		}
		ok := true
		for _, n := range c.need {
			if !has[n] {
				ok = false
			}
		}
		if ok {
			rp.Can = append(rp.Can, c.label)
		} else {
			cannot = append(cannot, c.label)
		}
	}
	if !has[Perm{CanRead, "Configurations"}] && allResources(p)["Configurations"] {
		cannot = append(cannot, "read the configuration")
	}
	if !has[Perm{CanRead, "Audit Logs"}] && allResources(p)["Audit Logs"] {
		cannot = append(cannot, "read the audit log")
	}
	rp.Cannot = cannot
	s := strings.Join(rp.Can, "; ")
	if len(cannot) > 0 {
		s += "; cannot " + strings.Join(cannot, ", ")
	} else {
		s += " (everything)"
	}
	rp.Summary = s
	return rp
}

// allResources is every resource of a flavour's role tables.
func allResources(p Profile) map[string]bool {
	t, ok := p.tables()
	m := map[string]bool{}
	if !ok {
		return m
	}
	for _, x := range cat(t.V, t.U, t.O, t.A) {
		m[x.Resource] = true
	}
	return m
}

// supersetRoles are short descriptions of Superset's built-in roles; their
// permission sets are not modelled.
var supersetRoles = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"Admin":   "all permissions, including managing users and roles",
		"Alpha":   "access to all data sources; cannot manage users or roles",
		"Gamma":   "only the data sources granted through other roles",
		"sql_lab": "SQL Lab access",
		"granter": "may grant access",
		"Public":  "nothing, unless PUBLIC_ROLE_LIKE copies another role's permissions",
	}
})

// PermissionsOf describes roles for a flavour. Roles that are neither
// built in nor modelled are reported as unknown.
func PermissionsOf(p Profile, cfg *Config, roles []string) []RolePermissions {
	var out []RolePermissions
	for _, r := range roles {
		if perms, ok := p.BuiltinPerms(r); ok {
			rp := Describe(p, r, perms)
			if r == "Admin" {
				rp.Note = "Admin also receives every other permission that exists, including DAG-level ones"
			}
			out = append(out, rp)
			continue
		}
		if p.Airflow && r == cfg.RoleAdmin() && r != "Admin" {
			perms, _ := p.BuiltinPerms("Admin")
			rp := Describe(p, r, perms)
			rp.Note = "AUTH_ROLE_ADMIN: receives every permission"
			out = append(out, rp)
			continue
		}
		rp := RolePermissions{Role: r}
		switch {
		case p.Superset && supersetRoles()[r] != "":
			rp.Summary = supersetRoles()[r]
			rp.Note = "Superset's role permissions are not modelled in detail"
			if r == "Public" {
				if s, ok := cfg.Get("PUBLIC_ROLE_LIKE"); ok && s.Value != nil {
					rp.Summary = "the permissions of " + Repr(s.Value) + " (PUBLIC_ROLE_LIKE)"
				}
			}
		case r == "Public" || (p.Airflow && isPublicRole(cfg, p, r)):
			rp.Known = true
			rp.Summary = "no permissions"
		case r == cfg.RoleAdmin():
			rp.Known = true
			rp.Summary = "every permission (AUTH_ROLE_ADMIN)"
		default:
			rp.Summary = "a custom role: its permissions are whatever was granted to it in the database (FAB_ROLES or the UI)"
		}
		out = append(out, rp)
	}
	return out
}

func isPublicRole(cfg *Config, p Profile, r string) bool {
	pub, _ := cfg.RolePublic(p)
	return pub != "" && pub == r && !builtinAirflowRole(r)
}

func builtinAirflowRole(r string) bool {
	for _, b := range airflowRoles {
		if b == r {
			return true
		}
	}
	return false
}

// Union merges the permissions of several built-in roles.
func Union(p Profile, roles []string) ([]Perm, bool) {
	var all []Perm
	for _, r := range roles {
		perms, ok := p.BuiltinPerms(r)
		if !ok {
			return nil, false
		}
		all = append(all, perms...)
	}
	return dedupe(all), true
}
