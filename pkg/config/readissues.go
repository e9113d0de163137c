package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// ReadIssues are the read stage's findings: CFG001 for each syntax error
// and CFG002 for each setting the reader could not resolve. Every command
// that reads a config reports them through this one function.
func (f *File) ReadIssues() []fab.Issue {
	var out []fab.Issue
	for _, e := range f.SyntaxErrors {
		out = append(out, f.syntaxIssue(e))
	}
	out = append(out, f.raisesAtStart()...)
	out = append(out, f.localSecrets()...)
	for _, u := range f.Unresolved {
		out = append(out, unresolvedIssue(f.Path, u))
	}
	if f.Config != nil {
		for _, c := range f.Config.Clients {
			out = append(out, clientArgIssues(f.Path, c)...)
		}
		out = append(out, unreadClients(f.Path, f.Config)...)
	}
	return out
}

// unreadClients: a file that imports an OAuth client library but
// registers no client authdoctor could read is never "OK" unanalysed
// (CFG002, at the import).
func unreadClients(file string, cfg *fab.Config) []fab.Issue {
	if len(cfg.Clients) > 0 {
		return nil
	}
	for _, im := range cfg.Imports {
		if lib, ok := clientLibraries[im.Module]; ok {
			return []fab.Issue{{ID: "CFG002", File: file, Line: im.Line, Name: im.Module,
				Message: fmt.Sprintf("the file imports %s (%s) but no client registration (oauth.remote_app or oauth.register with its arguments) could be read: its OAuth client was not checked", im.Module, lib),
				Fix:     "Register the client at module level or in an app factory that takes no argument, or check its arguments by hand against the provider checks (docs/checks)."}}
		}
	}
	return nil
}

// clientArgIssues reports the arguments of an app's own OAuth client that
// cannot be resolved (CFG002), with what CPython computes where the
// variable is unset: an f-string embeds the text None, and that is the URL
// the app sends.
func clientArgIssues(file string, c fab.OAuthClient) []fab.Issue {
	var out []fab.Issue
	for _, k := range c.Args.Keys {
		u, ok := c.Args.Vals[k].(*fab.Unresolved)
		if !ok {
			continue
		}
		msg := fmt.Sprintf("%s of the %s call at line %d cannot be resolved statically: %s", k, c.Call, c.Line, u.Reason)
		if c.IfUnset != nil {
			if s, ok := c.IfUnset.Get(k); ok {
				if str, isStr := s.(string); isStr && strings.Contains(str, "None") {
					msg += fmt.Sprintf("; where the variable is unset, CPython formats None into it and the app sends %q", str)
					msg = strings.Replace(msg, "where the variable is unset", "where that variable is unset", 1)
				}
			}
		}
		out = append(out, fab.Issue{ID: "CFG002", File: file, Line: c.Args.LineOf(k), Name: k, Message: msg,
			Evidence: []engine.Evidence{{Key: "argument", Value: k}},
			Fix:      "Supply the value the deployment uses with --env NAME=VALUE (or an --env-file); the client's checks then see it."})
	}
	return out
}

func (f *File) syntaxIssue(e fab.SyntaxError) fab.Issue {
	msg := fmt.Sprintf("syntax error at %s:%d:%d: %s", f.Path, e.Line, e.Col, e.Msg)
	if f.Origin != "" {
		msg += " (in " + f.Origin + ")"
	}
	is := fab.Issue{ID: "CFG001", File: f.Path, Line: e.Line,
		Message:  msg + "; the rest of the file was still read as far as possible",
		Evidence: []engine.Evidence{{Key: "line", Value: strconv.Itoa(e.Line)}, {Key: "column", Value: strconv.Itoa(e.Col)}}}
	if e.Recovered != "" {
		is.Evidence = append(is.Evidence, engine.Evidence{Key: "recovered", Value: e.Recovered})
	}
	if e.Unclosed {
		is.Fix = fmt.Sprintf("Close the bracket opened at line %d, column %d: Python refuses the whole file until it is closed (the reader read the rest as if it were).", e.Line, e.Col)
	}
	return is
}

func unresolvedIssue(file string, u fab.UnresolvedSetting) fab.Issue {
	is := fab.Issue{ID: "CFG002", File: file, Line: u.Line, Name: u.Name,
		Message:  fmt.Sprintf("%s cannot be resolved statically: %s", u.Name, u.Reason),
		Evidence: []engine.Evidence{{Key: "setting", Value: u.Name}}}
	if len(u.Env) > 0 {
		flags := make([]string, len(u.Env))
		for i, e := range u.Env {
			flags[i] = "--env " + e + "=VALUE"
		}
		is.Evidence = append(is.Evidence, engine.Evidence{Key: "environment", Value: strings.Join(u.Env, ", ")})
		is.Fix = fmt.Sprintf("Supply the value the deployment uses: %s (or an --env-file with those variables); the settings that depend on it are then checked too.", strings.Join(flags, " "))
	}
	return is
}

// raisesAtStart reports the statements CPython would raise at when the
// app loads the file (CFG021): the loading stops there and the webserver
// does not start. Only exceptions that hold whatever the environment
// holds are reported (the reader keeps those).
func (f *File) raisesAtStart() []fab.Issue {
	if f.Module == nil {
		return nil
	}
	var out []fab.Issue
	for _, d := range f.Module.Diagnostics {
		if d.Raised == nil {
			continue
		}
		is := fab.Issue{ID: "CFG021", File: f.Path, Line: d.Line,
			Message:  fmt.Sprintf("loading the file raises %s at line %d: Python stops there, so the app does not start", d.Raised.Text, d.Line),
			Evidence: []engine.Evidence{{Key: "exception", Value: d.Raised.Text}}}
		if f.appended && d.Raised.Type == "NameError" {
			// the chart's base config, which is not here, may define it
			is.Severity = engine.SeverityInfo
			is.Message = fmt.Sprintf("the snippet uses a name it does not define (%s at line %d): unless the chart's own config, to which it is appended, defines it, loading raises there and the app does not start", d.Raised.Text, d.Line)
		}
		out = append(out, is)
		break // CPython stops at the first
	}
	return out
}

// localSecrets: in a file that is not a FAB config (no OAUTH_PROVIDERS: a
// plain app or script), a module-level variable named like a secret
// (client_secret, api_password) bound to a string written in the file is
// a committed secret (CFG006), whatever its case; Flask copies only
// upper-case names, which lint judges as settings.
func (f *File) localSecrets() []fab.Issue {
	if f.Module == nil || f.Config == nil {
		return nil
	}
	if _, fabCfg := f.Config.Get("OAUTH_PROVIDERS"); fabCfg {
		return nil
	}
	var out []fab.Issue
	for _, b := range f.Module.Bindings {
		s, ok := b.Value.(*pyread.Str)
		if pyread.IsUpperName(b.Name) || classify(b.Name) != secret || !ok || len(s.V) < 8 || fab.Placeholder(s.V) || !f.writtenAt(b.Line, s.V) {
			continue
		}
		out = append(out, fab.Issue{ID: "CFG006", File: f.Path, Line: b.Line, Name: b.Name,
			Message:  b.Name + " is a secret written in the file",
			Evidence: []engine.Evidence{{Key: "value", Value: engine.Redacted}},
			Fix:      "Read it from the environment (os.environ[\"...\"]) backed by a secret store, and rotate the exposed value."})
	}
	return out
}

// writtenAt reports whether line n of the file holds v as a quoted literal
// and reads nothing from outside (no environment lookup).
func (f *File) writtenAt(n int, v string) bool {
	text := f.Config.SourceLine(n)
	if text == "" || hasEnvWord(text) {
		return false
	}
	return strings.Contains(text, `"`+v+`"`) || strings.Contains(text, "'"+v+"'")
}
