package fab

// What lint learns by evaluating the user's user-info code on a
// representative login of each configured provider (pkg/usercode
// computes it through LintOptions.UserCode; spec user-code.md §6).

// UserCodeLinter evaluates the config's user code for lint.
type UserCodeLinter interface {
	// Facts evaluates the user-info code under the flavour p; nil when
	// the config has no user-info code to evaluate.
	Facts(p Profile) *UserCodeFacts
}

// UserCodeFacts is what the evaluation showed.
type UserCodeFacts struct {
	// Source is the code that builds the user-info.
	Source UserInfoSource
	// Providers are the evaluations by provider name.
	Providers map[string]*ProviderFacts
	// Names are the provider names the code compares its provider
	// argument with (provider == "azure"), where.
	Names []NameRef
}

// NameRef is a string the code compares a name with.
type NameRef struct {
	Name, File string
	Line       int
}

// ProviderFacts is the user-info code on one provider's representative
// login.
type ProviderFacts struct {
	// IdP names whose tokens were used ("Entra ID v2") and Token says
	// what they carry.
	IdP, Token string
	// Run is how the final evaluation ended (with the claims the code
	// needed added, when it read optional ones).
	Run *UserInfoRun
	// Builtin: the code ran FAB's built-in branch for this provider.
	Builtin bool
	// RoleKeys: the user-info has non-empty role_keys; RoleKeysFrom names
	// the claims they come from ("groups", "realm_access.roles";
	// "computed" for values no claim holds as they are).
	RoleKeys     bool
	RoleKeysFrom []string
	// RoleKeysFiltered: the code returns role_keys, empty on the
	// representative login although it read the role claims (it filters
	// them, e.g. by a substring the example values lack): whether real
	// users get keys is not known.
	RoleKeysFiltered bool
	// Keys are the user-info's keys.
	Keys []string
	// Missing are claims the code reads with [...] that this IdP's tokens
	// do not always carry.
	Missing []MissingClaim
	// RaisesWithout names the optional claim without which the code
	// raised RaisedWithout on the representative login, when adding it
	// makes that exception go away (me.get("given_name").split(...)): the
	// raise concerns only users whose token lacks it (Run is then the run
	// with the claim).
	RaisesWithout string
	RaisedWithout *CodeException
	// Events are things the code did that lint judges.
	Events []CodeEvent
}

// MissingClaim is a claim read with [...] that may be absent.
type MissingClaim struct {
	Claim string
	// Why says which tokens lack it ("Entra ID v2 id_tokens carry no upn
	// unless it is configured as an optional claim").
	Why        string
	File       string
	Line       int
	Exception  string
	ClientRole bool
	// Builtin names FAB's built-in branch that reads the claim, when the
	// code calls it (super()) rather than reading the claim itself.
	Builtin string
}

// Kinds of CodeEvent.
const (
	EventVerifyOff    = "verify-off"    // jwt.decode with verify_signature False
	EventPyJWT1Verify = "pyjwt1-verify" // jwt.decode(…, verify=…), PyJWT 1's spelling
	EventRequest      = "request"       // an HTTP request (Detail: "GET https://…")
	EventTLSOff       = "tls-off"       // verify=False on a request (Detail: the URL)
	EventSelfDecode   = "self-decode"   // the token's payload decoded by hand (base64)
)

// CodeEvent is something the code did, where.
type CodeEvent struct {
	Kind, Detail string
	File         string
	Line         int
	// Token names the token it concerns ("id_token", "access_token"), when
	// known.
	Token string
}
