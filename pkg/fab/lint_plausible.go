package fab

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// LintPlausible lints a file whose version is not known for each
// plausible flavour (the last is the one simulated). A finding every
// flavour gives is kept, at the mildest severity any gives it; a finding
// only some give is true only on those versions: it is kept at info,
// naming them ("on Airflow 3: …").
func LintPlausible(cfg *Config, ps []Profile, o LintOptions) ([]Issue, FileSummary) {
	main := len(ps) - 1
	issues, sum := Lint(cfg, ps[main], o)
	if main == 0 {
		return issues, sum
	}
	runs := make([]map[string]Issue, len(ps))
	for i, p := range ps {
		is := issues
		if i != main {
			is, _ = Lint(cfg, p, o)
			sum.AlsoChecked = append(sum.AlsoChecked, p.Flavor)
		}
		runs[i] = keyed(is)
	}
	var out []Issue
	seen := map[string]bool{}
	add := func(k string, is Issue) {
		if seen[k] {
			return
		}
		seen[k] = true
		var on []string
		for i, r := range runs {
			if other, ok := r[k]; ok {
				on = append(on, ps[i].Short)
				if severityOf(other) < severityOf(is) {
					is.Severity = severityOf(other)
				}
			}
		}
		switch missing := notOn(ps, on); {
		case len(missing) == 0:
		case allLegacy(ps, missing):
			// Only releases out of support for years (Airflow 2.0–2.1)
			// behave otherwise: the finding stands, and says so.
			is.Message += "; not on " + strings.Join(missing, " or ") + ", out of support since 2022"
			is.Evidence = append(is.Evidence, engine.Evidence{Key: "not on", Value: strings.Join(missing, "; ")})
		default:
			is.Message = "on " + strings.Join(on, " and ") + ": " + is.Message
			is.Severity = engine.SeverityInfo
			is.Evidence = append(is.Evidence, engine.Evidence{Key: "only on", Value: strings.Join(on, "; ")})
		}
		out = append(out, is)
	}
	for _, r := range append([]map[string]Issue{runs[main]}, runs[:main]...) {
		for _, k := range orderOf(r) {
			add(k, r[k])
		}
	}
	return out, sum
}

// notOn are the plausible flavours (Short names) not in on.
func notOn(ps []Profile, on []string) []string {
	var out []string
	for _, p := range ps {
		if !contains(on, p.Short) {
			out = append(out, p.Short)
		}
	}
	return out
}

// allLegacy reports whether every flavour named is a legacy one: Airflow
// 2.0–2.1, end of life in 2022, which current installs cannot pick. A
// finding that holds on every supported release is not made info
// because such a release might behave otherwise.
func allLegacy(ps []Profile, names []string) bool {
	for _, p := range ps {
		if contains(names, p.Short) && p.Flavor != Airflow20 {
			return false
		}
	}
	return true
}

// keyed names each issue by check, line and subject (the n-th such issue
// when there are several), not by message: messages name the flavour.
func keyed(is []Issue) map[string]Issue {
	out := map[string]Issue{}
	n := map[string]int{}
	for i, x := range is {
		base := x.ID + "\x00" + strconv.Itoa(x.Line) + "\x00" + x.Name
		k := fmt.Sprintf("%s\x00%d", base, n[base])
		n[base]++
		x.order = i
		out[k] = x
	}
	return out
}

// orderOf lists the keys in the order the issues were found.
func orderOf(r map[string]Issue) []string {
	keys := make([]string, len(r))
	for k, is := range r {
		keys[is.order] = k
	}
	return keys
}

// severityOf is an issue's severity: its own, else its check's.
func severityOf(is Issue) engine.Severity {
	if is.Severity != 0 {
		return is.Severity
	}
	for _, fam := range [][]engine.Check{ConfigChecks, RoleChecks} {
		for _, c := range fam {
			if c.ID == is.ID {
				return c.Severity
			}
		}
	}
	return engine.SeverityError
}
