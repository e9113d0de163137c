package sources

import "github.com/authdoctor/authdoctor/pkg/engine"

// ReportInsecure records DSC007 when TLS verification was turned off, so
// that --insecure is visible in every output format and can fail CI.
func ReportInsecure(rep *engine.Report, insecure bool) {
	if !insecure {
		return
	}
	rep.Add("DSC007", "TLS certificate verification was OFF for every fetch (--insecure): the documents and keys checked may not be the IdP's",
		engine.With("flag", "--insecure"))
}
