package fab

import "testing"

// Values seen in real configs: markers that stand for a secret (the eval
// set's 'GOOGLE_SECRET_NOT_SET' default and 'OAUTH_CLIENT_SECRET') and
// secrets that must still be reported.
func TestPlaceholder(t *testing.T) {
	for v, want := range map[string]bool{
		"GOOGLE_SECRET_NOT_SET":   true,
		"OAUTH_CLIENT_SECRET":     true,
		"CLIENT_ID_HERE":          true,
		"PASSWORD":                true,
		"Twitter Consumer Secret": true,
		"password":                false, // a weak password, but the one in use
		"changeme":                true,
		"<client-secret>":         true,
		"${CLIENT_SECRET}":        true,
		"xxxxxxxx":                true,
		"your-secret":             true,
		"example-secret-value":    true,
		"JBSWY3DPEHPK3PXP":        false, // base32, no underscore
		"Xq8Q~AbCdEfGhIjKlMnOp":   false,
		"S3CR3T_V4LU3_9F8A7B6C5":  false, // upper case, but no word naming a slot
		"e864229acc081cd628af":    false,
	} {
		if got := Placeholder(v); got != want {
			t.Errorf("Placeholder(%q) = %v, want %v", v, got, want)
		}
	}
}
