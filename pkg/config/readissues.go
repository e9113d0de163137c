package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
)

// ReadIssues are the read stage's findings: CFG001 for each syntax error
// and CFG002 for each setting the reader could not resolve. Every command
// that reads a config reports them through this one function.
func (f *File) ReadIssues() []fab.Issue {
	var out []fab.Issue
	for _, e := range f.SyntaxErrors {
		out = append(out, f.syntaxIssue(e))
	}
	for _, u := range f.Unresolved {
		out = append(out, unresolvedIssue(f.Path, u))
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
