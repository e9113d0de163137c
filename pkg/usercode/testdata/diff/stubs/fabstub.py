"""A stand-in for the parts of Flask-AppBuilder's security manager (and of
Airflow's and Superset's subclasses) that the differential cases reach:
the built-in user-info branches, the properties that read the config, the
OAuth remotes, the role step. Written from authdoctor's spec
(../shared/spec/fab.md §1.2, §2.3, §2.4, §3, §8.1; user-code.md §1, §3)
for the flavour named by AUTHDOCTOR_DIFF_FLAVOR, not copied from those
projects. Only this base behaviour is stubbed: the user's code, PyJWT,
base64, json run for real under CPython.
"""
import copy
import os
import urllib.parse

FLAVOR = os.environ.get("AUTHDOCTOR_DIFF_FLAVOR", "fab")
AIRFLOW = FLAVOR.startswith("airflow")

AUTH_OID, AUTH_DB, AUTH_LDAP, AUTH_REMOTE_USER, AUTH_OAUTH = 0, 1, 2, 3, 4


class OutsideWorld(BaseException):
    """The code reached what a static dry-run cannot know (the network, the
    database). A BaseException, so that `except Exception` does not hide it."""


class OAuthProviderUnknown(Exception):
    pass


OAuthProviderUnknown.__module__ = "flask_appbuilder.exceptions"


class MissingSchema(ValueError):
    pass


MissingSchema.__module__ = "requests.exceptions"

# The login's material, set by the harness for each case.
STATE = {"userinfo": None, "answered": None, "getters": []}


class Response:
    """requests.Response as authlib returns it: .json(), .status_code,
    raise_for_status(); no Flask-OAuthlib .data."""

    def __init__(self, url, body):
        self._url, self._body = url, body

    def json(self, **kw):
        if self._body is None:
            raise OutsideWorld("GET " + self._url)
        return copy.deepcopy(self._body)

    @property
    def status_code(self):
        if self._body is None:
            raise OutsideWorld("GET " + self._url)
        return 200

    @property
    def ok(self):
        return self.status_code == 200

    def raise_for_status(self):
        self.status_code

    @property
    def text(self):
        import json
        return json.dumps(self.json())


class Remote:
    """authlib's Flask client: GETs are joined to api_base_url; the first
    URL requested is answered by the case's user-info document."""

    def __init__(self, name, remote_app):
        self.name = name
        self._app = remote_app or {}
        self.api_base_url = self._app.get("api_base_url")
        self.client_id = self._app.get("client_id")

    def _url(self, url):
        if self.api_base_url and not url.startswith(("https://", "http://")):
            url = urllib.parse.urljoin(self.api_base_url, url)
        if "://" not in url:
            raise MissingSchema("Invalid URL '%s': No scheme supplied. Perhaps you meant https://%s?" % (url, url))
        return url

    def get(self, url, **kw):
        url = self._url(url)
        given = STATE["userinfo"] is not None and STATE["answered"] in (None, url)
        if given:
            STATE["answered"] = url
            return Response(url, STATE["userinfo"])
        return Response(url, None)

    def post(self, url, **kw):
        raise OutsideWorld("POST " + self._url(url))

    def userinfo(self, **kw):
        if "userinfo_endpoint" not in self._app and "server_metadata_url" not in self._app:
            raise KeyError("userinfo_endpoint")
        if STATE["userinfo"] is None:
            raise OutsideWorld("userinfo")
        return copy.deepcopy(STATE["userinfo"])


class Role:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Role(%r)" % self.name


class User:
    def __init__(self, username, email, first_name, last_name, roles):
        self.username, self.email = username, email
        self.first_name, self.last_name = first_name, last_name
        self.roles = roles
        self.is_active = self.active = True


def builtin_roles():
    if AIRFLOW:
        return ["Admin", "Op", "User", "Viewer", "Public"]
    if FLAVOR == "superset":
        return ["Admin", "Alpha", "Gamma", "granter", "sql_lab", "Public"]
    return ["Admin", "Public"]


class Config(dict):
    pass


class App:
    def __init__(self, config):
        self.config = config


class AppBuilder:
    """flask_appbuilder.AppBuilder: .sm, .get_app. Made without an app (a
    module-level AppBuilder()), .sm only records oauth_user_info_getter
    decorators for the harness."""

    def __init__(self, app=None, *a, **kw):
        self.app = app
        self.sm = _GetterRecorder() if app is None else None

    @property
    def get_app(self):
        return self.app


class _GetterRecorder:
    def oauth_user_info_getter(self, f):
        STATE["getters"].append(f)
        return f


def _jwt_claims(token):
    import jwt
    return jwt.decode(token, options={"verify_signature": False})


class BaseSecurityManager:
    oauth_user_info = None

    def __init__(self, appbuilder):
        self.appbuilder = appbuilder
        appbuilder.sm = self
        cfg = appbuilder.get_app.config
        self.oauth_remotes = {}
        for p in cfg.get("OAUTH_PROVIDERS", []):
            self.oauth_remotes[p["name"]] = Remote(p["name"], p.get("remote_app"))
        self._roles = {r: Role(r) for r in builtin_roles()}
        if not self.oauth_user_info:
            self.oauth_user_info = self.get_oauth_user_info

    # ---- the settings the properties read (fab.md §1.2)
    def _cfg(self, key, default=None):
        return self.appbuilder.get_app.config.get(key, default)

    @property
    def auth_roles_mapping(self):
        return self._cfg("AUTH_ROLES_MAPPING", {})

    @property
    def auth_user_registration(self):
        return self._cfg("AUTH_USER_REGISTRATION", False)

    @property
    def auth_role_public(self):
        return self._cfg("AUTH_ROLE_PUBLIC", None if AIRFLOW else "Public")

    @property
    def auth_user_registration_role(self):
        return self._cfg("AUTH_USER_REGISTRATION_ROLE", self.auth_role_public)

    @property
    def auth_roles_sync_at_login(self):
        return self._cfg("AUTH_ROLES_SYNC_AT_LOGIN", False)

    @property
    def auth_role_admin(self):
        return self._cfg("AUTH_ROLE_ADMIN", "Admin")

    @property
    def oauth_providers(self):
        return self._cfg("OAUTH_PROVIDERS")

    # ---- the database: never reached by a dry-run
    def find_user(self, username=None, email=None):
        raise OutsideWorld("find_user")

    @property
    def get_session(self):
        raise OutsideWorld("get_session")

    def add_user(self, *a, **kw):
        raise OutsideWorld("add_user")

    def update_user(self, user):
        return None

    def find_role(self, name):
        # A role that is not built in may live in the database: taken as
        # existing, as the dry-run takes it; a case or whitespace variant
        # of a built-in one is known missing.
        if name in self._roles:
            return self._roles[name]
        if not isinstance(name, str) or any(name.strip().lower() == r.lower() for r in self._roles):
            return None
        return self._roles.setdefault(name, Role(name))

    def add_role(self, name):
        self._roles.setdefault(name, Role(name))
        return self._roles[name]

    # ---- oauth_user_info_getter (user-code.md §1)
    def oauth_user_info_getter(self, f):
        if AIRFLOW:
            def wraps(provider, response=None):
                return f(self, provider, response)
        else:
            def wraps(provider, response=None):
                ret = f(self, provider, response=response)
                if not type(ret) == dict:
                    return {}
                return ret
        self.oauth_user_info = wraps
        return wraps

    # ---- the built-in branches (fab.md §2.3, §2.4, §8.1)
    def get_oauth_user_info(self, provider, resp):
        if provider == "azure":
            return self._azure(resp)
        if provider in ("keycloak", "keycloak_before_17"):
            me = self.oauth_remotes[provider].get("openid-connect/userinfo")
            me.raise_for_status()
            data = me.json()
            return {"username": data.get("preferred_username", ""), "first_name": data.get("given_name", ""),
                    "last_name": data.get("family_name", ""), "email": data.get("email", ""),
                    "role_keys": data.get("groups", [])}
        if provider in ("github", "githublocal"):
            data = self.oauth_remotes[provider].get("user").json()
            return {"username": "github_" + data.get("login")}
        if provider == "google":
            data = self.oauth_remotes[provider].get("userinfo").json()
            return {"username": "google_" + data.get("id", ""), "first_name": data.get("given_name", ""),
                    "last_name": data.get("family_name", ""), "email": data.get("email", "")}
        if provider == "okta":
            data = self.oauth_remotes[provider].get("userinfo").json()
            if "error" in data:
                return {}
            return {"username": "okta_" + data["sub"], "first_name": data.get("given_name", ""),
                    "last_name": data.get("family_name", ""), "email": data["email"],
                    "role_keys": data.get("groups", [])}
        return self._unknown_provider(provider)

    def _unknown_provider(self, provider):
        if FLAVOR == "airflow-3":
            # the newest provider's generic OIDC branch (fab.md §8.3)
            data = self.oauth_remotes[provider].userinfo()
            return {"username": data.get("preferred_username", ""), "first_name": data.get("given_name", ""),
                    "last_name": data.get("family_name", ""), "email": data.get("email", ""),
                    "role_keys": data.get("groups", [])}
        if AIRFLOW:
            return {}
        raise OAuthProviderUnknown()

    def _azure(self, resp):
        # verify_signature off (the cases set it so): the payload, unverified
        me = _jwt_claims(resp["id_token"])
        if AIRFLOW:
            email = me["email"] if "email" in me else me["upn"]
        else:
            email = me["upn"] if "upn" in me else me["email"]
        claim = "roles"
        if FLAVOR == "airflow-3":
            claim = (self._cfg("AUTH_OAUTH_ROLE_KEYS") or {}).get("azure", "roles")
        return {"email": email, "first_name": me.get("given_name", ""), "last_name": me.get("family_name", ""),
                "username": me["oid"], "role_keys": me.get(claim, [])}

    # ---- the role step (fab.md §3.1, §3.2; a new user)
    def get_roles_from_keys(self, role_keys):
        out = set()
        for key in set(role_keys):
            for name in self.auth_roles_mapping.get(key, []):
                r = self.find_role(name)
                if r is not None:
                    out.add(r)
        return out

    def _oauth_calculate_user_roles(self, userinfo):
        roles = set()
        if len(self.auth_roles_mapping) > 0:
            roles.update(self.get_roles_from_keys(userinfo.get("role_keys", [])))
        if self.auth_user_registration:
            r = self.find_role(self.auth_user_registration_role)
            if r is not None:
                roles.add(r)
        return list(roles)

    def auth_user_oauth(self, userinfo):
        if "username" in userinfo:
            username = userinfo["username"]
        elif "email" in userinfo:
            username = userinfo["email"]
        else:
            return None
        if username is None or username == "":
            return None
        if not self.auth_user_registration:
            return None  # a new user, and FAB never creates one then
        return User(username, userinfo.get("email") or "%s@email.notfound" % username, userinfo.get("first_name", ""),
                    userinfo.get("last_name", ""), self._oauth_calculate_user_roles(userinfo))
