package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
)

// pin is one version the deployment is known to run, and where that is
// said ("requirements.txt:12", "the Helm value airflow.image.tag").
type pin struct{ version, from string }

func (p pin) set() bool { return p.version != "" }

// evidence is what the deployment says about versions, besides the
// Python file: a requirements/constraints/pip-freeze file and the Helm
// chart's image tag.
type evidence struct {
	airflow, fab, provider, superset, authlib pin
	// notes are remarks for the reason (a range that is not a pin, a file
	// naming none of the packages).
	notes []string
}

// requirementNames are the packages whose version decides the code that
// runs at login, by their normalised names (PEP 503).
var requirementNames = map[string]func(*evidence) *pin{
	"apache-airflow":               func(e *evidence) *pin { return &e.airflow },
	"flask-appbuilder":             func(e *evidence) *pin { return &e.fab },
	"apache-airflow-providers-fab": func(e *evidence) *pin { return &e.provider },
	"apache-superset":              func(e *evidence) *pin { return &e.superset },
	"authlib":                      func(e *evidence) *pin { return &e.authlib },
}

// readRequirements reads a requirements.txt, constraints file or `pip
// freeze` output: NAME==VERSION lines (extras, environment markers and
// comments allowed). Only exact pins count; other specifiers are noted.
// An unreadable file is an input error (exit 3).
func readRequirements(path string) (evidence, error) {
	var e evidence
	data, err := os.ReadFile(path)
	if err != nil {
		return e, fmt.Errorf("cannot read --requirements: %w", err)
	}
	if len(data) > MaxFileSize {
		return e, fmt.Errorf("cannot read --requirements: %w", &os.PathError{Op: "read", Path: path, Err: errors.New("larger than 16 MiB")})
	}
	base := filepath.Base(path)
	for i, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		name, op, ver := requirement(line)
		get, ok := requirementNames[name]
		if !ok {
			continue
		}
		where := fmt.Sprintf("%s:%d", base, i+1)
		if op != "==" && op != "===" {
			e.notes = append(e.notes, fmt.Sprintf("%s asks for %s%s%s, not one version: not used to choose the version", where, name, op, ver))
			continue
		}
		if p := get(&e); !p.set() {
			*p = pin{ver, where}
		}
	}
	if !e.airflow.set() && !e.fab.set() && !e.provider.set() && !e.superset.set() && !e.authlib.set() {
		e.notes = append(e.notes, "--requirements "+base+" pins none of apache-airflow, flask-appbuilder, apache-airflow-providers-fab, apache-superset, authlib")
	}
	return e, nil
}

// requirement splits a requirement line into its normalised name, the
// version operator and the version ("" for lines that are not one).
func requirement(line string) (name, op, ver string) {
	if i := strings.Index(line, "#"); i >= 0 {
		line = line[:i]
	}
	if i := strings.Index(line, ";"); i >= 0 {
		line = line[:i] // environment marker
	}
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "-") || strings.Contains(line, " @ ") {
		return "", "", ""
	}
	end := strings.IndexAny(line, "=<>!~[ ")
	if end < 0 {
		return normName(line), "", ""
	}
	name = normName(line[:end])
	rest := strings.TrimSpace(line[end:])
	if strings.HasPrefix(rest, "[") {
		if j := strings.Index(rest, "]"); j >= 0 {
			rest = strings.TrimSpace(rest[j+1:])
		}
	}
	for _, o := range []string{"===", "==", "~=", ">=", "<=", "!=", ">", "<"} {
		if strings.HasPrefix(rest, o) {
			ver = strings.TrimSpace(rest[len(o):])
			if j := strings.Index(ver, ","); j >= 0 {
				return name, o, rest // several specifiers: a range
			}
			return name, o, ver
		}
	}
	return name, "", ""
}

// normName is PEP 503's normalised project name.
func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("_", "-", ".", "-").Replace(s)
}

// withHelm adds the chart's Airflow version (an image tag) unless the
// requirements already pin one.
func (e *evidence) withHelm(hint extractHint) {
	if hint.airflowVersion != "" && !e.airflow.set() {
		e.airflow = pin{hint.airflowVersion, "the Helm value " + hint.versionSource}
	}
}

// narrow applies the version evidence to the flavours detection left
// plausible: a pinned Airflow chooses its flavour; a pinned provider
// chooses between 2.9–2.10 and 3; a pinned Superset makes it Superset. It
// says why in the detection's reason.
func (e *evidence) narrow(d detection) detection {
	n := e.narrowed(d)
	switch {
	case len(n.flavors) == 1 && len(d.flavors) == 1 && n.flavors[0] == d.flavors[0]:
		return d // the file already told (the Helm chart's own version)
	case len(n.flavors) == 1 && d.reason != "":
		n.reason += " (the file: " + d.reason + ")"
	}
	return n
}

func (e *evidence) narrowed(d detection) detection {
	switch {
	case e.airflow.set():
		if fl, ok := fab.AirflowFlavor(e.airflow.version); ok && airflowish(d) {
			return detection{flavors: []fab.Flavor{fl}, reason: fmt.Sprintf("%s says Airflow %s", e.airflow.from, e.airflow.version)}
		}
	case e.superset.set() && (len(d.flavors) == 0 || d.flavors[0] == fab.Superset):
		return detection{flavors: []fab.Flavor{fab.Superset}, reason: fmt.Sprintf("%s says apache-superset %s", e.superset.from, e.superset.version)}
	}
	if e.provider.set() && airflowish(d) {
		fl := fab.Airflow3
		if lo, below := fab.ProviderRange(fab.Airflow29); versionIn(e.provider.version, lo, below) {
			fl = fab.Airflow29
		}
		return detection{flavors: []fab.Flavor{fl}, reason: fmt.Sprintf("%s says apache-airflow-providers-fab %s", e.provider.from, e.provider.version)}
	}
	return d
}

// airflowish: detection found nothing, or only Airflow flavours.
func airflowish(d detection) bool {
	for _, f := range d.flavors {
		if f == fab.Superset || f == fab.FAB {
			return false
		}
	}
	return true
}

// versionIn reports lo ≤ v < below for dotted versions.
func versionIn(v, lo, below string) bool {
	return fab.CompareVersions(v, lo) >= 0 && fab.CompareVersions(v, below) < 0
}

// options are the version options a flavour is simulated at, from the
// command line first, then the evidence; the second result says where
// the evidence's versions came from.
func (e *evidence) options(f fab.Flavor, o LoadOptions) (fab.ProfileOptions, []string) {
	po := fab.ProfileOptions{FabProvider: o.FabProvider, FABVersion: o.FABVersion}
	var why []string
	fabApplies, _ := fab.FABVersionApplies(f)
	provApplies, _ := fab.ProviderApplies(f)
	switch {
	case po.FABVersion != "":
		why = append(why, "Flask-AppBuilder "+po.FABVersion+" set by --fab-version")
	case fabApplies && e.fab.set():
		po.FABVersion = e.fab.version
		why = append(why, fmt.Sprintf("Flask-AppBuilder %s from %s", e.fab.version, e.fab.from))
	case f == fab.Airflow20 && e.airflow.set():
		if v := fab.AirflowFABDefault(e.airflow.version); v != "" {
			po.FABVersion = v
			why = append(why, fmt.Sprintf("Flask-AppBuilder %s, what Airflow %s installs (--fab-version or --requirements to say otherwise)", v, e.airflow.version))
		}
	case e.fab.set() && f != fab.FAB && f != fab.Superset:
		_, notHere := fab.FABVersionApplies(f)
		why = append(why, fmt.Sprintf("flask-appbuilder %s (%s) is installed, but it does not choose the code: %s", e.fab.version, e.fab.from, notHere))
	}
	switch {
	case po.FabProvider != "":
		why = append(why, "apache-airflow-providers-fab "+po.FabProvider+" set by --fab-provider")
	case provApplies && e.provider.set():
		po.FabProvider = e.provider.version
		why = append(why, fmt.Sprintf("apache-airflow-providers-fab %s from %s", e.provider.version, e.provider.from))
	}
	if e.authlib.set() {
		po.Authlib = e.authlib.version
		why = append(why, fmt.Sprintf("authlib %s from %s", e.authlib.version, e.authlib.from))
	}
	return po, append(why, e.notes...)
}

// evidence reads --requirements (nothing when not given).
func (o *LoadOptions) evidence() (evidence, error) {
	if o.Requirements == "" {
		return evidence{}, nil
	}
	return readRequirements(o.Requirements)
}

// narrowByFlags keeps the plausible flavours a --fab-version or
// --fab-provider applies to (a provider 1.x is Airflow 2.9–2.10, 2.x/3.x
// Airflow 3). When none is left, the flavours stay and NewProfile says why
// the flag does not apply.
func narrowByFlags(d detection, o LoadOptions) detection {
	if len(d.flavors) < 2 || o.FABVersion == "" && o.FabProvider == "" {
		return d
	}
	var keep []fab.Flavor
	for _, fl := range d.flavors {
		okF, _ := fab.FABVersionApplies(fl)
		okP, _ := fab.ProviderApplies(fl)
		lo, below := fab.ProviderRange(fl)
		switch {
		case o.FABVersion != "" && !okF:
		case o.FabProvider != "" && (!okP || !versionIn(o.FabProvider, lo, below)):
		default:
			keep = append(keep, fl)
		}
	}
	if len(keep) == 0 || len(keep) == len(d.flavors) {
		return d
	}
	flag := "--fab-version " + o.FABVersion
	if o.FabProvider != "" {
		flag = "--fab-provider " + o.FabProvider
	}
	return detection{flavors: keep, reason: d.reason + "; " + flag + " narrows it to " + flavorList(keep)}
}

func flavorList(fs []fab.Flavor) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}
