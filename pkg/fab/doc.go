// Package fab holds Flask-AppBuilder / Airflow / Superset OAuth semantics:
// flavours, the user-info mapping of each provider branch, role
// computation, the permissions of Airflow's built-in roles, callback URL
// prediction and the CFG/ROL lint checks.
//
// It knows nothing of Python syntax. Its input is a Config: settings as
// plain Go values (string, int64, float64, bool, nil, []any, *Dict) with
// *Unresolved / *Opaque for what a static reader could not evaluate.
// pkg/fab/fabload builds a Config from a file read by pkg/config.
//
// Every rule cites ../shared/spec/fab.md ("spec §N").
package fab
