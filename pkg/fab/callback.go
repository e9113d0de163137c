package fab

import (
	"net"
	"net/url"
	"strings"
)

// Callback is the redirect URI the app sends for a provider (spec §2.1,
// §8.4).
type Callback struct {
	Provider string `json:"provider"`
	// Path is the callback path including any base path and mount prefix.
	Path string `json:"path"`
	// URL is the full URL when the public base URL is known; otherwise it
	// has a "<host>" placeholder.
	URL string `json:"url"`
	// BaseURL and where it came from ("" when unknown).
	BaseURL       string `json:"baseUrl,omitempty"`
	BaseURLSource string `json:"baseUrlSource,omitempty"`
	// ProxyFix says whether a proxy fix is on ("on", "off", "unknown") and
	// which setting decides it.
	ProxyFix        string `json:"proxyFix"`
	ProxyFixSetting string `json:"proxyFixSetting"`
	// BehindProxy is the URL the app sends behind a TLS-terminating proxy.
	BehindProxy string `json:"behindProxy"`
	// Notes explain the prediction.
	Notes []string `json:"notes,omitempty"`
}

// proxySetting names the setting that turns the proxy fix on.
func proxySetting(p Profile) (envName, label string) {
	switch {
	case p.Flavor == Airflow3:
		return "AIRFLOW__FAB__ENABLE_PROXY_FIX", "[fab] enable_proxy_fix"
	case p.Airflow:
		return "AIRFLOW__WEBSERVER__ENABLE_PROXY_FIX", "[webserver] enable_proxy_fix"
	case p.Superset:
		return "", "ENABLE_PROXY_FIX"
	}
	return "", "a werkzeug ProxyFix middleware"
}

// baseURLSetting names the Airflow setting holding the public URL.
func baseURLSetting(p Profile) (envName, label string) {
	if p.Flavor == Airflow3 {
		return "AIRFLOW__API__BASE_URL", "[api] base_url"
	}
	if p.Airflow {
		return "AIRFLOW__WEBSERVER__BASE_URL", "[webserver] base_url"
	}
	return "", ""
}

// envTrue reads an Airflow boolean ("True", "true", "1").
func envTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on", "t":
		return true
	}
	return false
}

// ProxyFixState says whether the proxy fix is on: "on", "off" or
// "unknown" (nothing says), and the setting.
func ProxyFixState(p Profile, cfg *Config) (state, setting string) {
	env, label := proxySetting(p)
	if p.Superset {
		s, ok := cfg.Get("ENABLE_PROXY_FIX")
		if !ok {
			return "off", label + " (Superset's default False)"
		}
		t, known := Truthy(s.Value)
		switch {
		case !known:
			return "unknown", label
		case t:
			return "on", label
		}
		return "off", label
	}
	if env == "" {
		return "unknown", label
	}
	if v, ok := cfg.env(env); ok {
		if envTrue(v) {
			return "on", label
		}
		return "off", label
	}
	return "unknown", label + " (not given: pass --env " + env + "=True if it is set)"
}

// PredictCallback predicts the callback URL for a provider name. baseURL
// is the app's public URL (flag), else the Airflow base_url setting.
func PredictCallback(p Profile, cfg *Config, name, baseURL string) Callback {
	cb := Callback{Provider: name}
	src := "--base-url"
	if baseURL == "" {
		if env, label := baseURLSetting(p); env != "" {
			if v, ok := cfg.env(env); ok && v != "" {
				baseURL, src = v, label+" ("+env+")"
			}
		}
	}
	basePath := ""
	host := "https://<host>"
	if baseURL != "" {
		if u, err := url.Parse(strings.TrimSpace(baseURL)); err == nil && u.Host != "" {
			basePath = strings.TrimRight(u.EscapedPath(), "/")
			host = u.Scheme + "://" + u.Host
			cb.BaseURL, cb.BaseURLSource = baseURL, src
		}
	}
	cb.Path = basePath + p.CallbackPrefix + "/oauth-authorized/" + name
	cb.URL = host + cb.Path
	cb.ProxyFix, cb.ProxyFixSetting = ProxyFixState(p, cfg)
	httpHost := strings.Replace(host, "https://", "http://", 1)
	switch cb.ProxyFix {
	case "on":
		cb.BehindProxy = cb.URL
		cb.Notes = append(cb.Notes, "behind a TLS-terminating proxy the app sees https only if the proxy sends X-Forwarded-Proto: https (the proxy fix is on)")
		if p.Flavor == Airflow3 {
			cb.Notes = append(cb.Notes, "apache/airflow #70023 reports http redirect URIs on Airflow 3.3 even with enable_proxy_fix = True; PR #70029 (X-Forwarded-Proto in the OAuth login view) is not merged")
		}
	default:
		cb.BehindProxy = httpHost + cb.Path
		cb.Notes = append(cb.Notes, "behind a TLS-terminating proxy, without "+cb.ProxyFixSetting+" the app builds http:// URLs (the scheme comes from the request it receives)")
	}
	if p.Flavor == Airflow3 {
		cb.Notes = append(cb.Notes, "Airflow 3 mounts the FAB app under /auth: register "+p.CallbackPrefix+"/oauth-authorized/"+name+" (Airflow 2 had no /auth)")
	}
	return cb
}

// isLoopback reports whether a URL's host is localhost or a loopback IP
// (Entra allows http only there).
func isLoopback(host string) bool {
	h := strings.ToLower(host)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
