package oidc

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

func benchFixture(b *testing.B, rel string) []byte {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", rel))
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// Analysing the 10-key Entra common v2 set (7 Entra + 3 MSA keys, with
// x5c certificates): parse, key building, every JWK check.
func BenchmarkAnalyzeEntraJWKS10Keys(b *testing.B) {
	raw := benchFixture(b, "azure/entra-v2-common-jwks.2024-07.json")
	now := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		rep := engine.NewReport(testRegistry(), "jwks")
		s := AnalyzeJWKS(rep, raw, WithNow(now))
		if s == nil || len(s.Keys) != 10 {
			b.Fatal("not 10 keys")
		}
	}
}

// Analysing the Entra tenant v2 discovery document.
func BenchmarkAnalyzeDiscoveryEntra(b *testing.B) {
	raw := benchFixture(b, "azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json")
	u := "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/v2.0/.well-known/openid-configuration"
	b.ReportAllocs()
	for b.Loop() {
		rep := engine.NewReport(testRegistry(), "discovery")
		if d := AnalyzeDiscovery(rep, u, raw); d == nil || len(rep.Findings) != 0 {
			b.Fatalf("%+v", rep.Findings)
		}
	}
}
