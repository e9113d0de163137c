package fab

import "testing"

// The roles dry-run of one Airflow 3 Azure login (§8 tenant resolution,
// user-info, mapping, registration, permissions).
func BenchmarkSimulateAirflow3Azure(b *testing.B) {
	mapping := D("airflow_nonprod_admin", L("Admin"), "airflow_nonprod_op", L("Op"), "airflow_nonprod_viewer", L("Viewer"))
	cfg := oauthConf(prov("azure", azureRemote()), "AUTH_ROLES_MAPPING", mapping)
	p, err := NewProfile(Airflow3, ProfileOptions{})
	if err != nil {
		b.Fatal(err)
	}
	in := SimInput{Claims: azureClaims("roles", L("airflow_nonprod_op"))}
	r, err := Simulate(cfg, p, in)
	if err != nil || r.Outcome != Granted {
		b.Fatalf("%v %+v", err, r)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Simulate(cfg, p, in); err != nil {
			b.Fatal(err)
		}
	}
}
