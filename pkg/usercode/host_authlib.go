package usercode

import (
	"fmt"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// authlib's Flask client as FAB registers it (oauth_remotes[name]): API
// calls are HTTP requests authdoctor never makes. A GET's answer is the
// user-info document given with --userinfo; its response is a
// requests.Response, which has no Flask-OAuthlib `.data`.

// requestsExceptions are requests' exception classes the user's code
// catches, made on first use; rx names one.
var requestsExceptions = sync.OnceValue(func() map[string]*pyread.ExcClass {
	base := &pyread.ExcClass{Module: "requests.exceptions", Name: "RequestException", Bases: []*pyread.ExcClass{pyread.BuiltinExc("OSError")}}
	m := map[string]*pyread.ExcClass{"RequestException": base}
	for _, n := range []string{"HTTPError", "ConnectionError", "Timeout"} {
		m[n] = &pyread.ExcClass{Module: "requests.exceptions", Name: n, Bases: []*pyread.ExcClass{base}}
	}
	m["MissingSchema"] = &pyread.ExcClass{Module: "requests.exceptions", Name: "MissingSchema", Bases: []*pyread.ExcClass{base, pyread.BuiltinExc("ValueError")}}
	return m
})

func rx(name string) *pyread.ExcClass { return requestsExceptions()[name] }

// remote is authlib's client for a provider entry.
func (s *session) remote(pr *fab.Provider) pyread.Value {
	base, _ := pr.RemoteStr("api_base_url")
	request := func(method string) *pyread.HostValue {
		return fn(func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
			return s.remoteRequest(pr, base, method, args, kw, line)
		})
	}
	return (&object{typ: "FlaskOAuth2App", attr: func(name string, line int) (pyread.Value, bool) {
		switch name {
		case "get", "post", "put", "patch", "delete":
			return request(strings.ToUpper(name)), true
		case "request":
			return fn(func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
				m, ok := str(arg(args, kw, 0, "method"))
				if !ok {
					return unknown("an HTTP method not known statically")
				}
				return s.remoteRequest(pr, base, strings.ToUpper(m), args[min(1, len(args)):], kw, line)
			}), true
		case "userinfo":
			return fn(func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value { return s.remoteUserinfo(pr, line) }), true
		case "name":
			return pyread.FromGo(pr.Name, line), true
		case "client_id", "api_base_url", "access_token_url", "authorize_url":
			if v, ok := pr.RemoteStr(name); ok {
				return pyread.FromGo(v, line), true
			}
			return pyread.FromGo(nil, line), true
		case "client_secret":
			return unknown("the client secret is not read"), true
		}
		return unknown("%s.%s of authlib's client needs the live OAuth session", pr.Name, name), true
	}}).value()
}

// remoteRequest is remote.get(url)/post/…: authlib joins a relative URL
// to api_base_url; the request is never made.
func (s *session) remoteRequest(pr *fab.Provider, base, method string, args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	uv := arg(args, kw, 0, "url")
	if u, ok := uv.(*pyread.Unresolved); ok {
		return u
	}
	path, ok := str(uv)
	if !ok {
		return unknown("a URL not known statically")
	}
	url := path
	if base != "" && !strings.HasPrefix(path, "https://") && !strings.HasPrefix(path, "http://") {
		if j, err := fab.URLJoin(base, path); err == nil {
			url = j
		}
	}
	if !strings.Contains(url, "://") {
		// requests refuses a URL without a scheme before sending anything
		return pyread.Raise(rx("MissingSchema"), fmt.Sprintf("Invalid URL '%s': No scheme supplied. Perhaps you meant https://%s?", url, url))
	}
	s.event(evGet, line, method+" "+url)
	if v := arg(nil, kw, -1, "verify"); v != nil {
		if t, known := truth(v); known && !t {
			s.event(evTLSOff, line, url)
		}
	}
	if method != "GET" {
		return unknown("%s %s is an HTTP request authdoctor never makes: its answer is not known", method, url)
	}
	return s.response(url, line)
}

// response is the requests.Response of a GET: its body is the user-info
// document given (--userinfo), for the first URL the code requests.
func (s *session) response(url string, line int) pyread.Value {
	given := s.userinfo != nil && (s.answered == "" || s.answered == url)
	if given && s.answered == "" {
		s.answered = url
		s.note("%s answered GET %s (line %d)", s.userinfoFrom, url, line)
	}
	body := func() pyread.Value {
		if !given {
			return s.needUserInfo("GET %s asks the provider's API", url)
		}
		return s.userinfo
	}
	ok := true
	r := &object{typ: "Response"}
	if given {
		r.truth = &ok
	}
	r.attr = func(name string, l int) (pyread.Value, bool) {
		switch name {
		case "json":
			return fn(func([]pyread.Value, []pyread.KwArg, int) pyread.Value { return body() }), true
		case "status_code":
			if given {
				return pyread.FromGo(int64(200), l), true
			}
			return body(), true
		case "ok":
			if given {
				return pyread.FromGo(true, l), true
			}
			return body(), true
		case "raise_for_status":
			return fn(func([]pyread.Value, []pyread.KwArg, int) pyread.Value {
				if given {
					return pyread.FromGo(nil, l)
				}
				return body()
			}), true
		case "text":
			if given {
				return pyread.FromGo(string(s.userinfoRaw), l), true
			}
			return body(), true
		case "url":
			return pyread.FromGo(url, l), true
		case "content", "headers", "reason", "cookies", "elapsed", "encoding", "history", "request", "links", "raw", "iter_content", "iter_lines", "close", "is_redirect", "apparent_encoding", "next", "is_permanent_redirect":
			return unknown("Response.%s of GET %s is not known", name, url), true
		}
		// `.data` was Flask-OAuthlib's: requests' Response has no such
		// attribute (AttributeError, as in production)
		return nil, false
	}
	return r.value()
}

// remoteUserinfo is authlib's userinfo(): a GET of the metadata's
// userinfo_endpoint (KeyError without one).
func (s *session) remoteUserinfo(pr *fab.Provider, line int) pyread.Value {
	ep, ok := pr.RemoteStr("userinfo_endpoint")
	if !ok {
		if !pr.RemoteHas("server_metadata_url") {
			return raise("KeyError", "'userinfo_endpoint'")
		}
		ep = "the userinfo_endpoint of " + pr.Name + "'s server metadata"
	}
	s.event(evGet, line, "GET "+ep)
	if s.userinfo == nil {
		return s.needUserInfo("authlib's userinfo() GETs %s", ep)
	}
	if s.answered == "" {
		s.answered = ep
		s.note("%s answered authlib's userinfo() (GET %s, line %d)", s.userinfoFrom, ep, line)
	}
	return s.userinfo
}

// needUserInfo is the unknown answer of a user-info API: --userinfo
// would supply it.
func (s *session) needUserInfo(format string, a ...any) *pyread.Unresolved {
	u := unknown(format+": its answer is not known", a...)
	s.supplies[u.Reason] = "--userinfo @FILE"
	return u
}

// requestsHost is the requests module (and httpx, its twin here): every
// request is unknown; the URL is noted for the plain-http check.
func (s *session) requestsHost(module string) pyread.Host {
	excs := map[string]pyread.Value{}
	for name, c := range requestsExceptions() {
		excs[name] = c
	}
	exceptions := &object{typ: "module", attr: func(name string, line int) (pyread.Value, bool) {
		if v, ok := excs[name]; ok {
			return v, true
		}
		return unknown("%s.exceptions.%s is not modelled", module, name), true
	}}
	return &object{typ: "module", attr: func(name string, line int) (pyread.Value, bool) {
		switch name {
		case "get", "post", "put", "patch", "delete", "head", "request", "options":
			return fn(func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
				i := 0
				if name == "request" {
					i = 1
				}
				if u, ok := str(arg(args, kw, i, "url")); ok {
					s.event(evHTTP, line, strings.ToUpper(name)+" "+u)
					if v := arg(nil, kw, -1, "verify"); v != nil {
						if t, known := truth(v); known && !t {
							s.event(evTLSOff, line, u)
						}
					}
				}
				return unknown("an HTTP request (%s.%s) that authdoctor never makes: its answer is not known", module, name)
			}), true
		case "exceptions":
			return exceptions.value(), true
		}
		if v, ok := excs[name]; ok {
			return v, true
		}
		return unknown("%s.%s is not modelled", module, name), true
	}}
}

// flaskHost is the flask module: current_app is the app; the request
// context (g, session, request) is not known statically.
func (s *session) flaskHost() pyread.Host {
	return &object{typ: "module", attr: func(name string, line int) (pyread.Value, bool) {
		if name == "current_app" {
			return s.app(), true
		}
		return unknown("flask.%s belongs to a live request", name), true
	}}
}
