package fab

import (
	"fmt"
	"sort"
	"strings"
)

// CodeRef locates user code: file, line and a dotted name
// ("AzureCustomSecurity.get_oauth_user_info").
type CodeRef struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Name string `json:"name"`
}

func (c CodeRef) String() string { return fmt.Sprintf("%s (%s:%d)", c.Name, c.File, c.Line) }

// UserCode is the user's own code installed by the config
// (spec/user-code.md §1–§2): the security manager class and the FAB
// methods it overrides.
type UserCode struct {
	// Setting is the key that installs it and SettingLine where.
	Setting     string
	SettingLine int
	// Class is the class's name and Where its definition.
	Class string
	Where CodeRef
	// Overrides are the hooked methods the class (or one of the user's
	// classes it derives from) defines, by method name.
	Overrides map[string]CodeRef
	// Problem says why the class could not be read (a module not found,
	// a value not known statically); "" when it was.
	Problem string
}

// GetterKey is the Overrides key of a function decorated
// @appbuilder.sm.oauth_user_info_getter.
const GetterKey = "@oauth_user_info_getter"

// UserInfo is the user code that builds the user-info, when it replaces
// FAB's built-in branch: an oauth_user_info_getter function (the
// decorator sets the manager's oauth_user_info), else oauth_user_info,
// else get_oauth_user_info (FAB assigns oauth_user_info =
// get_oauth_user_info only when unset).
func (u *UserCode) UserInfo() (CodeRef, bool) {
	if u == nil {
		return CodeRef{}, false
	}
	for _, m := range []string{GetterKey, "oauth_user_info", "get_oauth_user_info"} {
		if r, ok := u.Overrides[m]; ok {
			return r, true
		}
	}
	return CodeRef{}, false
}

// Roles is the user code that computes the roles or decides the login
// itself (auth_user_oauth, _oauth_calculate_user_roles,
// get_roles_from_keys).
func (u *UserCode) Roles() (CodeRef, bool) {
	if u == nil {
		return CodeRef{}, false
	}
	for _, m := range []string{"auth_user_oauth", "_oauth_calculate_user_roles", "get_roles_from_keys"} {
		if r, ok := u.Overrides[m]; ok {
			return r, true
		}
	}
	return CodeRef{}, false
}

// Unknown reports user code that could not be read: any step may be
// replaced.
func (u *UserCode) Unknown() bool { return u != nil && u.Problem != "" }

// methods lists the overridden methods, for messages.
func (u *UserCode) methods() string {
	var out []string
	for m := range u.Overrides {
		out = append(out, m)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
