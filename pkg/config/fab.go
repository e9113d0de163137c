package config

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// AuthConstants are the AUTH_* values of flask_appbuilder/const.py (spec
// §1.1). AUTH_OID is gone in FAB 5 and AUTH_SAML exists from FAB 5.1; the
// reader resolves both so that the checks can say so.
var AuthConstants = sync.OnceValue(func() map[string]int64 {
	return map[string]int64{
		"AUTH_OID": 0, "AUTH_DB": 1, "AUTH_LDAP": 2, "AUTH_REMOTE_USER": 3, "AUTH_OAUTH": 4, "AUTH_SAML": 5,
	}
})

// AuthImportPaths are the modules the AUTH_* constants can be imported
// from (spec §1.1).
var AuthImportPaths = []string{
	"flask_appbuilder.const",
	"flask_appbuilder.security.manager",
	"airflow.www.fab_security.manager",
	"airflow.providers.fab.auth_manager.security_manager.override",
}

// FABModules is the constant table given to the reader
// (pyread.Options.Modules).
func FABModules() map[string]map[string]any {
	m := map[string]map[string]any{}
	for _, mod := range AuthImportPaths {
		c := map[string]any{}
		for k, v := range AuthConstants() {
			c[k] = v
		}
		m[mod] = c
	}
	// modules that exist (importing them cannot fail) without constants
	// the reader needs
	for _, mod := range []string{"flask_appbuilder", "flask_appbuilder.security", "flask_appbuilder.security.sqla.manager",
		"flask_appbuilder.security.views", "airflow", "airflow.configuration", "airflow.www.security",
		"airflow.providers.fab.auth_manager.security_manager", "superset", "superset.security", "superset.security.manager"} {
		if _, ok := m[mod]; !ok {
			m[mod] = map[string]any{}
		}
	}
	return m
}

// AirflowConfHook resolves airflow.configuration lookups
// (conf.get/getboolean/getint/getfloat/get_mandatory_value/has_option,
// and the old module-level functions) from AIRFLOW__SECTION__KEY
// environment variables, falling back to the fallback= argument. Without
// either the value lives in airflow.cfg or Airflow's defaults, which the
// reader does not see: the result is unresolved and says which variable
// supplies it.
func AirflowConfHook(c pyread.CallInfo) (any, bool) {
	method := ""
	for _, p := range []string{"airflow.configuration.conf.", "airflow.configuration.", "airflow.settings.conf."} {
		if strings.HasPrefix(c.Func, p) {
			method = strings.TrimPrefix(c.Func, p)
			break
		}
	}
	switch method {
	case "get", "getboolean", "getint", "getfloat", "get_mandatory_value", "has_option", "getimport":
	default:
		return nil, false
	}
	arg := func(i int, name string) (any, bool) {
		if i < len(c.Args) {
			return c.Args[i], true
		}
		v, ok := c.Kwargs[name]
		return v, ok
	}
	sv, ok1 := arg(0, "section")
	kv, ok2 := arg(1, "key")
	section, okS := sv.(string)
	key, okK := kv.(string)
	if !ok1 || !ok2 || !okS || !okK {
		if u, ok := sv.(*pyread.Unresolved); ok {
			return u, true
		}
		if u, ok := kv.(*pyread.Unresolved); ok {
			return u, true
		}
		return &pyread.Unresolved{Reason: "airflow.configuration lookup with a section or key not known statically", Line: c.Line}, true
	}
	name := "AIRFLOW__" + strings.ToUpper(section) + "__" + strings.ToUpper(key)
	what := fmt.Sprintf("[%s] %s", strings.ToLower(section), strings.ToLower(key))
	raw, set := c.Env[name]
	if !set {
		for _, suffix := range []string{"_CMD", "_SECRET"} {
			if _, ok := c.Env[name+suffix]; ok {
				return &pyread.Unresolved{Reason: fmt.Sprintf("Airflow config %s comes from %s%s, which runs a command or reads a secrets backend; not evaluated", what, name, suffix), Line: c.Line, Env: []string{name}}, true
			}
		}
	}
	if method == "has_option" {
		if set {
			return true, true
		}
		return &pyread.Unresolved{Reason: fmt.Sprintf("whether Airflow config %s is set depends on airflow.cfg, which the reader does not see; supply --env %s=VALUE", what, name), Line: c.Line, Env: []string{name}}, true
	}
	if !set {
		fb, ok := c.Kwargs["fallback"]
		if !ok {
			fb, ok = c.Kwargs["default"]
		}
		if !ok && len(c.Args) > 2 {
			fb, ok = c.Args[2], true
		}
		if !ok {
			return &pyread.Unresolved{Reason: fmt.Sprintf("Airflow config %s is not set in the environment; its value comes from airflow.cfg or Airflow's defaults, which the reader does not see; supply it with --env %s=VALUE", what, name), Line: c.Line, Env: []string{name}}, true
		}
		if method == "get" || method == "get_mandatory_value" {
			return fb, true
		}
		s, isStr := fb.(string)
		if !isStr {
			if b, isB := fb.(bool); isB && method == "getboolean" {
				return b, true
			}
			return fb, true
		}
		raw = s
	}
	switch method {
	case "getboolean":
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "t", "true", "1":
			return true, true
		case "f", "false", "0":
			return false, true
		}
		return &pyread.Unresolved{Reason: fmt.Sprintf("Airflow config %s = %q is not a boolean: Airflow would refuse it", what, raw), Line: c.Line, Env: []string{name}}, true
	case "getint":
		if n, ok := new(big.Int).SetString(strings.TrimSpace(raw), 10); ok {
			if n.IsInt64() {
				return n.Int64(), true
			}
			return n, true
		}
		return &pyread.Unresolved{Reason: fmt.Sprintf("Airflow config %s = %q is not an integer", what, raw), Line: c.Line, Env: []string{name}}, true
	case "getfloat":
		if f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64); err == nil {
			return f, true
		}
		return &pyread.Unresolved{Reason: fmt.Sprintf("Airflow config %s = %q is not a number", what, raw), Line: c.Line, Env: []string{name}}, true
	case "getimport":
		return &pyread.Unresolved{Reason: fmt.Sprintf("Airflow config %s names an object to import (%s); not evaluated", what, raw), Line: c.Line}, true
	}
	return raw, true
}

// knownSettings are the keys FAB, the Airflow FAB provider and Superset
// read (spec §1.2), besides the AUTH_LDAP_ and MAIL_ families.
var knownSettings = sync.OnceValue(func() map[string]bool {
	known := map[string]bool{}
	for _, k := range strings.Fields(`AUTH_TYPE AUTH_ROLE_ADMIN AUTH_ROLE_PUBLIC AUTH_USER_REGISTRATION
		AUTH_USER_REGISTRATION_ROLE AUTH_USER_REGISTRATION_ROLE_JMESPATH AUTH_ROLES_MAPPING
		AUTH_ROLES_SYNC_AT_LOGIN AUTH_API_LOGIN_ALLOW_MULTIPLE_PROVIDERS AUTH_USERNAME_CI
		AUTH_RATE_LIMITED AUTH_RATE_LIMIT RATELIMIT_ENABLED RATELIMIT_KEY_FUNC AUTH_DB_FAKE_PASSWORD_HASH_CHECK
		FAB_PASSWORD_HASH_METHOD AUTH_REMOTE_USER_ENV_VAR OAUTH_PROVIDERS SAML_PROVIDERS SAML_CONFIG
		OPENID_PROVIDERS FAB_SECURITY_MANAGER_CLASS SECURITY_MANAGER_CLASS CUSTOM_SECURITY_MANAGER
		FAB_ROLES FAB_ROLES_MAPPING FAB_ADD_SECURITY_VIEWS FAB_ADD_SECURITY_PERMISSION_VIEW
		FAB_ADD_SECURITY_VIEW_MENU_VIEW FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW FAB_CREATE_DB
		FAB_API_KEY_PREFIXES FAB_API_SWAGGER_UI WTF_CSRF_ENABLED WTF_CSRF_TIME_LIMIT WTF_CSRF_EXEMPT_LIST
		PERMANENT_SESSION_LIFETIME RECAPTCHA_PUBLIC_KEY RECAPTCHA_PRIVATE_KEY APP_THEME APP_NAME APP_ICON
		AUTH_OAUTH_ROLE_KEYS SECRET_KEY SESSION_COOKIE_SECURE SESSION_COOKIE_HTTPONLY SESSION_COOKIE_SAMESITE
		SQLALCHEMY_DATABASE_URI ENABLE_PROXY_FIX PROXY_FIX_CONFIG`) {
		known[k] = true
	}
	return known
})

// KnownSetting reports whether FAB, Airflow's FAB provider or Superset
// reads the setting.
func KnownSetting(name string) bool {
	return knownSettings()[name] || strings.HasPrefix(name, "AUTH_LDAP_") || strings.HasPrefix(name, "MAIL_")
}
