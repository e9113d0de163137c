package configshow

import (
	"fmt"

	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/authdoctor/authdoctor/pkg/render"
)

// Client is an OAuth client the app registers itself (Flask-OAuthlib
// remote_app, authlib register), as read.
type Client struct {
	Name     string         `json:"name"`
	Library  string         `json:"library"`
	Call     string         `json:"call"`
	Line     int            `json:"line"`
	Args     *pyread.Object `json:"args"`
	Callback string         `json:"callback,omitempty"`
}

// clientsOf lists the file's own clients, secrets redacted unless shown.
func clientsOf(f *config.File, showSecrets bool) []Client {
	var out []Client
	for _, c := range f.Config.Clients {
		args := &pyread.Object{Values: map[string]any{}}
		for _, k := range c.Args.Keys {
			v := fabJSON(c.Args.Vals[k])
			if !showSecrets {
				v = config.RedactJSON(k, v)
			}
			args.Keys = append(args.Keys, k)
			args.Values[k] = v
		}
		out = append(out, Client{Name: c.Name, Library: c.Library, Call: c.Call, Line: c.Line, Args: args, Callback: c.Callback})
	}
	return out
}

// fabJSON renders a fab value in the shapes pyread.ToJSON gives, so that
// redaction and text rendering treat both alike.
func fabJSON(v any) any {
	switch x := v.(type) {
	case *fab.Dict:
		o := &pyread.Object{Values: map[string]any{}}
		for _, k := range x.Keys {
			o.Keys = append(o.Keys, k)
			o.Values[k] = fabJSON(x.Vals[k])
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fabJSON(e)
		}
		return out
	case *fab.Unresolved:
		return map[string]any{"unresolved": x.Reason, "line": x.Line}
	case *fab.Opaque:
		return map[string]any{"python": x.Source}
	}
	return v
}

// writeClients shows the clients in the text output.
func (r *Result) writeClients(p *render.Printer) {
	if len(r.Clients) == 0 {
		return
	}
	p.Section("OAuth clients the app registers itself (not FAB's OAUTH_PROVIDERS)")
	for _, c := range r.Clients {
		p.Printf("  %s  %s\n", p.Bold(fmt.Sprintf("%q", c.Name)), p.Dim(fmt.Sprintf("%s %s, line %d", c.Library, c.Call, c.Line)))
		p.Printf("    %s\n", textValue(c.Args, 2))
		if c.Callback != "" {
			p.Printf("    %s %s\n", p.Dim("redirect URI path:"), c.Callback)
		}
	}
}
