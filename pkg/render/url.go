package render

import "github.com/authdoctor/authdoctor/pkg/urlcheck"

// URL prints what a browser URL is, its parameters (secrets redacted
// by urlcheck) and the IdP errors it carries, explained.
func URL(p *Printer, r *urlcheck.Analysis) {
	kind := map[string]string{"authorization-request": "authorization request (the app → the IdP)",
		"callback": "callback (the IdP → the app)", "error-callback": "error callback (the IdP → the app, with an error)", "other": "URL"}[r.Kind]
	p.Section("URL")
	p.KV(2, 9, "kind", kind)
	p.KV(2, 9, "endpoint", r.Scheme+"://"+r.Host+r.Path)
	if r.Authority.IdP != "generic" {
		p.KV(2, 9, "IdP", Authority(r.Authority))
	}
	if len(r.Params) > 0 {
		p.Section("Parameters")
		w := 0
		for _, x := range r.Params {
			if len(x.Name) > w {
				w = len(x.Name)
			}
		}
		for _, x := range r.Params {
			v := x.Value
			if x.Meaning != "" {
				v += "  " + p.Dim("— "+x.Meaning)
			}
			if x.In == "fragment" {
				v += p.Dim(" (in the #fragment)")
			}
			p.KV(2, w, x.Name, v)
		}
	}
	for _, c := range r.Errors {
		p.Section(c.ID() + " " + c.Name)
		p.Printf("  %s\n  %s %s\n", c.Meaning, p.Green("fix:"), c.Fix)
	}
}
