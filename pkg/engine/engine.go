// Package engine holds the check registry, findings and reports. It knows
// nothing of cobra, colour or the network.
package engine

import (
	"fmt"
	"sort"
	"strings"
)

// Severity of a check or finding. The zero value is invalid.
type Severity int

const (
	SeverityInfo Severity = iota + 1
	SeverityWarning
	SeverityError
)

func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return "invalid"
}

// MarshalText makes severities appear as their names in JSON.
func (s Severity) MarshalText() ([]byte, error) {
	if s < SeverityInfo || s > SeverityError {
		return nil, fmt.Errorf("invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return SeverityError, nil
	case "warning":
		return SeverityWarning, nil
	case "info":
		return SeverityInfo, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Stage is the part of the pipeline whose facts a check judges. A command
// declares the stages it runs (Report.Scope); it never lists check IDs.
type Stage string

// The stages, in pipeline order.
const (
	// StageRead: reading the config file (syntax, unresolved values).
	StageRead Stage = "read"
	// StageConfig: the static judgement of the config's settings.
	StageConfig Stage = "config"
	// StageDiscovery: fetching and judging discovery documents.
	StageDiscovery Stage = "discovery"
	// StageKeys: fetching and judging key sets.
	StageKeys Stage = "keys"
	// StageToken: decoding, verifying and placing a token (signature,
	// times, audience, issuer, tenant).
	StageToken Stage = "token"
	// StageUserInfo: what the user-info step (built-in branch or the
	// user's own code) does with the IdP's answer.
	StageUserInfo Stage = "user-info"
	// StageRoles: the role computation and registration.
	StageRoles Stage = "roles"
	// StageURL: a browser URL (authorization request or callback).
	StageURL Stage = "url"
	// StageLogin: what only a real sign-in shows (authdoctor login): the
	// IdP's answer to the authorization request, the callback, the token
	// endpoint's answer, the ID token's binding to this sign-in.
	StageLogin Stage = "login"
)

// Stages lists every stage in pipeline order.
var Stages = []Stage{StageRead, StageConfig, StageDiscovery, StageKeys, StageToken, StageUserInfo, StageRoles, StageURL, StageLogin}

// Step is the step of an OAuth login (as FAB and authlib run it) at which
// a problem bites: doctor places each finding at its step and names the
// first blocking one in its verdict.
type Step int

// The login steps, in the order a login runs them.
const (
	StepAppStart Step = iota
	StepAuthorize
	StepCallback
	StepTokenExchange
	StepIDToken
	StepUserInfo
	StepRoles
)

// Steps lists every login step in order.
var Steps = []Step{StepAppStart, StepAuthorize, StepCallback, StepTokenExchange, StepIDToken, StepUserInfo, StepRoles}

var stepNames = [...]string{"app start", "authorize redirect", "callback URL", "token exchange", "id_token parsing", "user-info", "roles"}

// String names the step for people ("id_token parsing").
func (s Step) String() string {
	if s < 0 || int(s) >= len(stepNames) {
		return "invalid"
	}
	return stepNames[s]
}

// Check is one entry of the catalogue (../shared/checks.md): a value
// declared once, in the package of its family, and registered by the
// catalogue.
type Check struct {
	ID       string
	Name     string
	Severity Severity
	Title    string
	// Why explains what breaks and what the user sees.
	Why string
	// Fix is the usual remediation.
	Fix string
	// Stage is the pipeline stage whose facts the check judges.
	Stage Stage
	// Step is the login step at which its cause bites (a finding may name
	// another with AtStep).
	Step Step
	// Implemented is false while no code fires this check yet. Such a
	// check is reported as skipped ("not implemented"), never as passed.
	Implemented bool
}

// Family is the three-letter prefix of the ID (DSC, JWK, TOK, ...).
func (c *Check) Family() string { return c.ID[:3] }

// DocPath is the repository path of the check's page.
func (c *Check) DocPath() string { return "docs/checks/" + c.ID + ".md" }

// validID reports whether id is three capital letters and three digits.
func validID(id string) bool {
	if len(id) != 6 {
		return false
	}
	for i := 0; i < 6; i++ {
		c := id[i]
		if i < 3 && (c < 'A' || c > 'Z') || i >= 3 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// validName reports whether name is kebab-case: [a-z0-9]+ joined by single
// dashes.
func validName(name string) bool {
	if name == "" || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && name[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// Registry is an explicit list of checks. It rejects duplicate and
// malformed IDs and names.
type Registry struct {
	byID   map[string]*Check
	byName map[string]*Check
	order  []*Check
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byID: map[string]*Check{}, byName: map[string]*Check{}}
}

// Register adds a check after validating it.
func (r *Registry) Register(c Check) error {
	if !validID(c.ID) {
		return fmt.Errorf("check ID %q is malformed: want three capital letters and three digits, e.g. TOK001", c.ID)
	}
	if !validName(c.Name) {
		return fmt.Errorf("check %s: name %q is not kebab-case", c.ID, c.Name)
	}
	if c.Severity < SeverityInfo || c.Severity > SeverityError {
		return fmt.Errorf("check %s: invalid severity", c.ID)
	}
	if strings.TrimSpace(c.Title) == "" || strings.TrimSpace(c.Why) == "" || strings.TrimSpace(c.Fix) == "" {
		return fmt.Errorf("check %s: title, why and fix are all required", c.ID)
	}
	if !validStage(c.Stage) {
		return fmt.Errorf("check %s: stage %q is not one of %v", c.ID, c.Stage, Stages)
	}
	if c.Step.String() == "invalid" {
		return fmt.Errorf("check %s: invalid login step %d", c.ID, int(c.Step))
	}
	if _, dup := r.byID[c.ID]; dup {
		return fmt.Errorf("check %s registered twice", c.ID)
	}
	if other, dup := r.byName[c.Name]; dup {
		return fmt.Errorf("check %s: name %q already used by %s", c.ID, c.Name, other.ID)
	}
	cc := c
	r.byID[c.ID] = &cc
	r.byName[c.Name] = &cc
	r.order = append(r.order, &cc)
	return nil
}

// MustRegister is Register for the built-in catalogue, whose validity is
// a test, not a run-time condition.
func (r *Registry) MustRegister(c Check) {
	if err := r.Register(c); err != nil {
		panic(err)
	}
}

// Get finds a check by ID (case-insensitive) or by name.
func (r *Registry) Get(idOrName string) (*Check, bool) {
	if c, ok := r.byID[strings.ToUpper(idOrName)]; ok {
		return c, true
	}
	c, ok := r.byName[strings.ToLower(idOrName)]
	return c, ok
}

// IDs lists, in ID order, the checks that judge the given stages.
func (r *Registry) IDs(stages ...Stage) []string {
	var out []string
	for _, c := range r.All() {
		for _, s := range stages {
			if c.Stage == s {
				out = append(out, c.ID)
				break
			}
		}
	}
	return out
}

func validStage(s Stage) bool {
	for _, x := range Stages {
		if x == s {
			return true
		}
	}
	return false
}

// All returns the checks sorted by ID.
func (r *Registry) All() []*Check {
	out := make([]*Check, len(r.order))
	copy(out, r.order)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
